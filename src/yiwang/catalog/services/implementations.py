"""Use cases for implementations (实施清单): one department's way of carrying out an item."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Department, User
from yiwang.audit.services import audit_log
from yiwang.catalog.models import (
    Implementation,
    ImplementationVersion,
    Material,
    ServiceItem,
    VersionStatus,
)
from yiwang.catalog.permissions import check_can_edit, check_can_publish
from yiwang.catalog.services.items import (
    MSG_DRAFT_EXISTS,
    MSG_NOT_DRAFT,
    MSG_NOT_IN_REVIEW,
    _check_fields,
    _check_publishable,
    _make_current,
)

MSG_WRONG_DEPARTMENT = _("This department does not carry out items of this kind.")
MSG_ALREADY_IMPLEMENTED = _("This department already has an implementation of this item.")
MSG_ITEM_NOT_PUBLISHED = _("Publish the service item before publishing how it is carried out.")

IMPLEMENTATION_VERSION_FIELDS = frozenset(
    {
        "conditions_zh", "conditions_en", "procedure", "legal_limit_days", "promised_limit_days",
        "fee_free", "fee_amount", "fee_basis_zh", "fee_basis_en", "channels", "trips",
        "halls_zh", "halls_en", "form_schema", "process_ref",
    }
)  # fmt: skip
MATERIAL_FIELDS = frozenset(
    {
        "name_zh", "name_en", "form", "copies", "requirement", "condition_zh", "condition_en",
        "notes_zh", "notes_en", "reusable_certificate_type",
    }
)  # fmt: skip


def _materials_replace(version: ImplementationVersion, materials: list[dict[str, Any]]) -> None:
    version.materials.all().delete()
    for position, data in enumerate(materials):
        _check_fields(data, MATERIAL_FIELDS)
        material = Material(version=version, position=position, **data)
        try:
            material.full_clean(exclude=["version"])
        except ValidationError as exc:
            raise ValidationError({f"materials.{position}": exc.messages}) from None
        material.save()


def _version_save(version: ImplementationVersion, content: dict[str, Any]) -> None:
    _check_fields(content, IMPLEMENTATION_VERSION_FIELDS)
    for name, value in content.items():
        setattr(version, name, value)
    version.full_clean(exclude=["implementation"], validate_unique=False)
    version.save()


@transaction.atomic
def implementation_create(
    *,
    item: ServiceItem,
    department: Department,
    content: dict[str, Any],
    materials: list[dict[str, Any]],
    by: User | None,
) -> ImplementationVersion:
    """Create an implementation with its first draft; returns the draft."""
    check_can_edit(by, kind=item.department_kind, region_code=department.region_id)
    if department.kind != item.department_kind:
        raise ValidationError(
            {"department": ValidationError(MSG_WRONG_DEPARTMENT, code="wrong_department")}
        )
    if Implementation.objects.filter(item=item, department=department).exists():
        raise ValidationError(MSG_ALREADY_IMPLEMENTED, code="already_implemented")
    implementation = Implementation.objects.create(
        item=item, department=department, region_id=department.region_id
    )
    version = ImplementationVersion(implementation=implementation, number=1, created_by=by)
    _version_save(version, content)
    _materials_replace(version, materials)
    return version


@transaction.atomic
def implementation_version_draft(
    *, implementation: Implementation, by: User | None
) -> ImplementationVersion:
    """A new draft copied, materials and all, from the latest version."""
    check_can_edit(
        by, kind=implementation.item.department_kind, region_code=implementation.region_id
    )
    implementation = Implementation.objects.select_for_update().get(pk=implementation.pk)
    open_statuses = [VersionStatus.DRAFT, VersionStatus.IN_REVIEW]
    if implementation.versions.filter(status__in=open_statuses).exists():
        raise ValidationError(MSG_DRAFT_EXISTS, code="draft_exists")
    # An implementation is always created with its first version.
    latest = implementation.versions.order_by("-number")[0]
    draft = ImplementationVersion(
        implementation=implementation, number=latest.number + 1, created_by=by
    )
    _version_save(draft, {name: getattr(latest, name) for name in IMPLEMENTATION_VERSION_FIELDS})
    materials = [
        {name: getattr(m, name) for name in MATERIAL_FIELDS} for m in latest.materials.all()
    ]
    _materials_replace(draft, materials)
    return draft


@transaction.atomic
def implementation_version_update(
    *,
    version: ImplementationVersion,
    content: dict[str, Any],
    materials: list[dict[str, Any]] | None,
    by: User | None,
) -> ImplementationVersion:
    implementation = version.implementation
    check_can_edit(
        by, kind=implementation.item.department_kind, region_code=implementation.region_id
    )
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(MSG_NOT_DRAFT, code="not_draft")
    _version_save(version, content)
    if materials is not None:
        _materials_replace(version, materials)
    return version


@transaction.atomic
def implementation_version_submit(
    *, version: ImplementationVersion, by: User | None
) -> ImplementationVersion:
    implementation = version.implementation
    check_can_edit(
        by, kind=implementation.item.department_kind, region_code=implementation.region_id
    )
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(MSG_NOT_DRAFT, code="not_draft")
    version.status = VersionStatus.IN_REVIEW
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def implementation_version_publish(
    *, version: ImplementationVersion, by: User | None, skip_review: bool = False
) -> ImplementationVersion:
    """Publish a version in review and retire the previous one (see item_version_publish)."""
    implementation = Implementation.objects.select_for_update().get(pk=version.implementation_id)
    item = implementation.item
    check_can_publish(
        by,
        kind=item.department_kind,
        author_id=version.created_by_id,
        region_code=implementation.region_id,
    )
    _check_publishable(version, by=by, skip_review=skip_review)
    if item.published_version_id is None:
        raise ValidationError(MSG_ITEM_NOT_PUBLISHED, code="item_not_published")
    _make_current(implementation, version, by=by)
    audit_log(
        actor=by,
        action="catalog.implementation.published",
        target_type="catalog.Implementation",
        target_id=str(implementation.pk),
        region_code=implementation.region_id,
        details={"item": item.code, "version": version.number},
    )
    return version


@transaction.atomic
def implementation_version_return(
    *, version: ImplementationVersion, by: User | None
) -> ImplementationVersion:
    """A reviewer sends a version back to draft for changes."""
    implementation = version.implementation
    check_can_publish(
        by,
        kind=implementation.item.department_kind,
        author_id=None,
        region_code=implementation.region_id,
    )
    if version.status != VersionStatus.IN_REVIEW:
        raise ValidationError(MSG_NOT_IN_REVIEW, code="not_in_review")
    version.status = VersionStatus.DRAFT
    version.save(update_fields=["status"])
    return version
