"""Import and export of the catalogue (JSON here, XLSX in ``transfer_xlsx``).

Both formats become the same list of ``Row`` objects — an item with its implementations and
their materials, each labelled with where it came from ("item 3", "sheet items, row 7") — so
one function validates and applies them. An import is all or nothing: every row is tried (in
its own savepoint, so one bad row does not hide the next), every problem is reported with its
label, and if there is any problem the whole import is rolled back.

Imported content arrives as new drafts sent for review; a reviewer publishes it as usual.
Only the platform itself (``by=None``, an operator's command) may publish on import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Department, User
from yiwang.catalog.models import Implementation, Material, ServiceItem, VersionStatus
from yiwang.catalog.services.implementations import (
    IMPLEMENTATION_VERSION_FIELDS,
    MATERIAL_FIELDS,
    implementation_create,
    implementation_version_draft,
    implementation_version_publish,
    implementation_version_submit,
    implementation_version_update,
)
from yiwang.catalog.services.items import (
    ITEM_VERSION_FIELDS,
    MSG_UNKNOWN_FIELD,
    item_create,
    item_version_draft,
    item_version_publish,
    item_version_submit,
    item_version_update,
)
from yiwang.regions.models import Region

FORMAT = "yiwang-catalogue"
FORMAT_VERSION = 1
ITEM_FIELDS = frozenset({"code", "item_type", "department_kind", "region_level", "persona"})
MSG_NOT_JSON = _("The file is not valid JSON (line %(line)s): %(problem)s")
MSG_NOT_CATALOGUE = _(
    'This is not a catalogue file: expected {"format": "yiwang-catalogue", "items": [...]}.'
)
MSG_ROW_SHAPE = _("%(where)s: expected an object with the item's fields.")
MSG_UNKNOWN_REGION = _("Unknown region code %(code)s.")
MSG_ROW_PROBLEM = _("%(where)s: %(problem)s")
MSG_NOTHING = _("The file holds no items.")
WHERE_ITEM = _("item %(n)s")
WHERE_ITEM_CODE = _("item %(n)s (%(code)s)")
WHERE_IMPL = _("%(item)s, implementation %(n)s")


@dataclass
class Row:
    where: str  # a human label for error messages
    item: dict[str, Any]
    implementations: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = field(
        default_factory=list
    )  # (where, content incl. region_code, materials)


@dataclass
class ImportReport:
    items_created: int = 0
    items_changed: int = 0
    implementations_created: int = 0
    implementations_changed: int = 0


def _problems(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{name}: {m}" for name, errs in exc.message_dict.items() for m in errs]
    return [str(m) for m in exc.messages]


def catalogue_export() -> dict[str, Any]:
    """The published catalogue as one JSON-ready document."""
    items = []
    for item in ServiceItem.objects.filter(published_version__isnull=False).select_related(
        "published_version"
    ):
        version = item.published_version
        implementations = []
        for impl in Implementation.objects.filter(
            item=item, published_version__isnull=False
        ).select_related("published_version", "department"):
            iv = impl.published_version
            assert iv is not None  # noqa: S101 - filtered above
            content = {name: getattr(iv, name) for name in sorted(IMPLEMENTATION_VERSION_FIELDS)}
            content["fee_amount"] = str(iv.fee_amount) if iv.fee_amount is not None else None
            content["region_code"] = impl.region_id
            content["materials"] = [
                {name: getattr(m, name) for name in sorted(MATERIAL_FIELDS)}
                for m in iv.materials.order_by("position")
            ]
            implementations.append(content)
        items.append({
            **{name: getattr(item, name) for name in sorted(ITEM_FIELDS)},
            **{name: getattr(version, name) for name in sorted(ITEM_VERSION_FIELDS)},
            "implementations": implementations,
        })  # fmt: skip
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "items": items}


def rows_from_json(raw: bytes | str) -> list[Row]:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise ValidationError(
            MSG_NOT_JSON,
            code="not_json",
            params={"line": line, "problem": getattr(exc, "msg", str(exc))},
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("items"), list)
    ):
        raise ValidationError(MSG_NOT_CATALOGUE, code="not_catalogue")
    rows = []
    for n, entry in enumerate(data["items"], start=1):
        code = entry.get("code") if isinstance(entry, dict) else None
        where = str(WHERE_ITEM_CODE % {"n": n, "code": code} if code else WHERE_ITEM % {"n": n})
        if not isinstance(entry, dict):
            raise ValidationError(MSG_ROW_SHAPE, code="row_shape", params={"where": where})
        impls = entry.get("implementations", [])
        row = Row(where=where, item={k: v for k, v in entry.items() if k != "implementations"})
        for m, impl in enumerate(impls if isinstance(impls, list) else [], start=1):
            if not isinstance(impl, dict):
                raise ValidationError(
                    MSG_ROW_SHAPE,
                    code="row_shape",
                    params={"where": WHERE_IMPL % {"item": where, "n": m}},
                )
            materials = impl.get("materials", [])
            content = {k: v for k, v in impl.items() if k != "materials"}
            row.implementations.append(
                (str(WHERE_IMPL % {"item": where, "n": m}), content, materials)
            )
        rows.append(row)
    return rows  # fmt: skip


def _apply_item(row: Row, by: User | None, publish: bool, report: ImportReport) -> ServiceItem:
    data = dict(row.item)
    content = {k: data.pop(k) for k in list(data) if k in ITEM_VERSION_FIELDS}
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValidationError(
            MSG_UNKNOWN_FIELD, code="unknown_field", params={"name": sorted(unknown)[0]}
        )
    item = ServiceItem.objects.filter(code=data.get("code", "")).first()
    if item is None:
        version = item_create(
            code=str(data.get("code", "")), item_type=data.get("item_type", ""),
            department_kind=data.get("department_kind", ""),
            region_level=data.get("region_level", 0),
            persona=data.get("persona", ""), content=content, by=by,
        )  # fmt: skip
        report.items_created += 1
    else:
        current = item.published_version
        if current is not None and all(getattr(current, k) == v for k, v in content.items()):
            return item  # unchanged: no new version
        version = item_version_draft(item=item, by=by)
        item_version_update(version=version, content=content, by=by)
        report.items_changed += 1
    if publish:
        item_version_publish(version=version, by=by, skip_review=True)
    else:
        item_version_submit(version=version, by=by)
    return ServiceItem.objects.get(pk=version.item_id)


def _apply_implementation(
    item: ServiceItem, content: dict[str, Any], materials: list[dict[str, Any]],
    by: User | None, publish: bool, report: ImportReport,
) -> None:  # fmt: skip
    content = dict(content)
    code = str(content.pop("region_code", ""))
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError(MSG_UNKNOWN_REGION, code="unknown_region", params={"code": code})
    department, _created = Department.objects.get_or_create(
        region=region, kind=item.department_kind,
        defaults={"name": f"{region.name}{item.get_department_kind_display()}"},
    )  # fmt: skip
    existing = Implementation.objects.filter(item=item, department=department).first()
    if existing is not None and _unchanged(existing, content, materials):
        return
    if existing is None:
        version = implementation_create(
            item=item, department=department, content=content, materials=materials, by=by
        )
        report.implementations_created += 1
    else:
        version = implementation_version_draft(implementation=existing, by=by)
        implementation_version_update(version=version, content=content, materials=materials, by=by)
        report.implementations_changed += 1
    if publish and item.published_version_id is not None:
        implementation_version_publish(version=version, by=by, skip_review=True)
    elif version.status == VersionStatus.DRAFT:
        implementation_version_submit(version=version, by=by)


def _unchanged(impl: Implementation, content: dict[str, Any], materials: list[Any]) -> bool:
    """Whether ``content`` and ``materials`` say what the published version already says
    (so importing an export again makes no new versions)."""
    version = impl.published_version
    if version is None:
        return False
    for name, value in content.items():
        current = getattr(version, name, None)
        if name == "fee_amount":
            current = str(current) if current is not None else None
        if current != value:
            return False
    stored = [
        {name: getattr(m, name) for name in MATERIAL_FIELDS}
        for m in version.materials.order_by("position")
    ]
    given = [{name: m.get(name, stored_default(name)) for name in MATERIAL_FIELDS}
             for m in materials if isinstance(m, dict)]  # fmt: skip
    return stored == given


def stored_default(name: str) -> Any:
    """What a material field holds when an import leaves it out."""
    column = Material._meta.get_field(name)
    return column.get_default() if isinstance(column, models.Field) else None


@transaction.atomic
def catalogue_import(*, rows: list[Row], by: User | None, publish: bool = False) -> ImportReport:
    """Apply ``rows``; raise one ValidationError listing every bad row, saving nothing."""
    if publish and by is not None:
        raise ValidationError(_("Only the platform itself may publish on import."))
    if not rows:
        raise ValidationError(MSG_NOTHING, code="empty")
    report, problems = ImportReport(), []
    for row in rows:
        item: ServiceItem | None = None
        try:
            with transaction.atomic():
                item = _apply_item(row, by, publish, report)
        except ValidationError as exc:
            problems += [
                str(MSG_ROW_PROBLEM % {"where": row.where, "problem": p}) for p in _problems(exc)
            ]
        for where, content, materials in row.implementations:
            if item is None:
                continue
            try:
                with transaction.atomic():
                    _apply_implementation(item, content, materials, by, publish, report)
            except ValidationError as exc:
                problems += [
                    str(MSG_ROW_PROBLEM % {"where": where, "problem": p}) for p in _problems(exc)
                ]
            except (TypeError, ValueError) as exc:
                problems.append(str(MSG_ROW_PROBLEM % {"where": where, "problem": exc}))
    if problems:
        raise ValidationError(problems, code="import_failed")
    return report  # fmt: skip
