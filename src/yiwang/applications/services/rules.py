"""决策表: department admins edit an implementation's DMN decision table, a second person
signs it off, and approval publishes it for new applications.

A table belongs to one implementation (实施清单): the same process may run in several
regions, and each department answers for its own rules. The first approval gives the
implementation its own process key ``<process>@<implementation id>`` (a new catalogue
version pointing at it, published by the platform); every approval installs a new
``ProcessDefinition`` version of that key with the *same* BPMN and the new DMN. Running
applications keep the definition they started with, and each ``AutomatedDecision`` keeps
pointing at the definition, hence the table version, that decided it. Version numbers
are counted across the whole process family, so "table vN" names one table everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree

from yiwang.accounts.models import Role, User
from yiwang.accounts.selectors import staff_profile
from yiwang.applications.dmn_tables import (
    BOOLEAN_TYPES,
    DECISION_OUTPUT,
    MAX_OUTPUT,
    MAX_ROWS,
    NUMBER_TYPES,
    CellError,
    Evaluation,
    Row,
    Table,
    cell_parse,
    cell_to_feel,
    table_cells_safe,
    table_evaluate,
    table_parse,
    table_to_xml,
)
from yiwang.applications.engine.definitions import BPMN_NS, DECISION_RE, process_parse
from yiwang.applications.models import (
    DecisionTableStatus,
    DecisionTableVersion,
    ProcessDefinition,
)
from yiwang.audit.services import audit_log
from yiwang.catalog.models import Implementation, VersionStatus
from yiwang.notify.services import notification_send

EDITOR_ROLES = {Role.DEPARTMENT_ADMIN}
REVIEWER_ROLES = {Role.REVIEWER, Role.DEPARTMENT_ADMIN}
RULE_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$")
MAX_RULE_ID = 40
MAX_COMMENT = 2000

MSG_NOT_EDITOR = _(
    "Only a department admin of the department that runs this service may edit its rules."
)
MSG_NOT_REVIEWER = _("Only a reviewer or department admin of this department may sign off rules.")
MSG_OWN_DRAFT = _("You wrote this version: someone else must review and approve it.")
MSG_SUBMITTED = _(
    "This version has been submitted for review and can no longer be edited. Ask the "
    "reviewer to reject it if it needs changes."
)
MSG_NOT_DRAFT = _("Only a draft can be changed or submitted.")
MSG_NOT_SUBMITTED = _("This version is not waiting for review (it may have been decided already).")
MSG_STALE_DRAFT = _(
    "Someone else changed this draft since you opened it. Reload the page to see the current draft."
)
MSG_STALE_TABLE = _(
    "A newer version of this table has been approved since this draft was started. "
    "Reject or discard this version and start again from the table in force; nothing was "
    "changed."
)
MSG_COMMENT_REQUIRED = _("Say why you reject this version, so the author can fix it.")
MSG_COMMENT_TOO_LONG = _("Keep the comment under 2000 characters.")
MSG_NO_ROWS = _("A decision table needs at least one rule.")
MSG_TOO_MANY_ROWS = _("A decision table may have at most 200 rules.")
MSG_RULE_ID = _(
    "Rule %(row)s: the rule id must start with a letter and use only letters, digits and "
    "single underscores (at most 40 characters)."
)
MSG_RULE_ID_TAKEN = _("Rule %(row)s: another rule, or a column, already uses the id “%(id)s”.")
MSG_CELL = _("Rule %(row)s, “%(column)s”: %(problem)s.")
MSG_WRONG_CELL_COUNT = _("Rule %(row)s does not have one cell per column.")
MSG_DECISION = _("Rule %(row)s: choose one of the decisions the process knows (%(choices)s).")
MSG_OUTPUT_REQUIRED = _("Rule %(row)s: fill in “%(column)s”.")
MSG_OUTPUT_INVALID = _(
    "Rule %(row)s, “%(column)s”: at most 1000 characters, without line breaks or control "
    "characters."
)
MSG_NOTE_INVALID = _("Rule %(row)s: keep the note to one line of at most 200 characters.")
MSG_BPMN_CHANGED = _(
    "Only the decision table may change here: the process model must stay byte for byte "
    "the same. Ask a platform admin to install a new process model."
)
MSG_UNSAFE_TABLE = _("The table contains cells outside the safe subset and cannot be installed.")
MSG_CATALOGUE_DRAFT_OPEN = _(
    "This service's catalogue entry has a draft in progress. Publish or discard that draft "
    "first, then approve the rules again; nothing was changed."
)
MSG_TEST_VALUE = _("“%(column)s”: %(problem)s.")
MSG_TEST_BOOLEAN = _("choose yes or no")
MSG_TEST_NUMBER = _("enter a number")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _invalid(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


# --- reading: what a staff member may see


@dataclass
class TableInForce:
    implementation: Implementation
    definition: ProcessDefinition
    table: Table


def _staff_department_id(user: Any) -> int | None:
    staff = staff_profile(user)
    if staff is None or not (staff.role_codes & REVIEWER_ROLES):
        return None
    return int(staff.department_id)


def definition_in_force(implementation: Implementation) -> ProcessDefinition | None:
    """The process definition a new application of ``implementation`` would start on."""
    version = implementation.published_version
    if version is None or not version.process_ref:
        return None
    return ProcessDefinition.objects.filter(key=version.process_ref).order_by("-version").first()


def rule_implementations_for_staff(*, user: Any) -> list[TableInForce]:
    """Implementations run by the reader's department whose process decides by a table."""
    department_id = _staff_department_id(user)
    if department_id is None:
        raise PermissionDenied
    out = []
    implementations = Implementation.objects.filter(
        department_id=department_id, published_version__isnull=False
    ).select_related("item__published_version", "published_version", "department")
    for implementation in implementations.order_by("item__code"):
        definition = definition_in_force(implementation)
        if definition is None or not definition.dmn_xml:
            continue
        try:
            table = table_parse(definition.dmn_xml)
        except ValidationError:
            continue
        out.append(TableInForce(implementation, definition, table))
    return out


def rule_table_get_for_staff(*, user: Any, implementation_id: int) -> TableInForce:
    """The table in force of one implementation of the reader's department; else 404."""
    department_id = _staff_department_id(user)
    if department_id is None:
        raise Http404
    implementation = (
        Implementation.objects.filter(pk=implementation_id, department_id=department_id)
        .select_related("item__published_version", "published_version", "department")
        .first()
    )
    definition = definition_in_force(implementation) if implementation else None
    if implementation is None or definition is None or not definition.dmn_xml:
        raise Http404
    try:
        return TableInForce(implementation, definition, table_parse(definition.dmn_xml))
    except ValidationError as exc:
        raise Http404 from exc


def table_versions_for_staff(*, user: Any, implementation_id: int) -> list[DecisionTableVersion]:
    rule_table_get_for_staff(user=user, implementation_id=implementation_id)
    return list(
        DecisionTableVersion.objects.filter(implementation_id=implementation_id)
        .select_related("author", "reviewer", "definition")
        .order_by("-number")
    )


def table_version_get_for_staff(
    *, user: Any, implementation_id: int, number: int
) -> DecisionTableVersion:
    rule_table_get_for_staff(user=user, implementation_id=implementation_id)
    version = (
        DecisionTableVersion.objects.filter(implementation_id=implementation_id, number=number)
        .select_related("author", "reviewer", "definition", "base_definition")
        .first()
    )
    if version is None:
        raise Http404
    return version


def open_version(implementation: Implementation) -> DecisionTableVersion | None:
    return DecisionTableVersion.objects.filter(
        implementation=implementation,
        status__in=[DecisionTableStatus.DRAFT, DecisionTableStatus.SUBMITTED],
    ).first()


def version_table(version: DecisionTableVersion) -> Table:
    """The table of a version: the base table's columns with the version's rows."""
    table = table_parse(version.base_definition.dmn_xml)
    table.rows = [Row.from_json(r) for r in version.rows]
    return table


def can_edit(user: Any, implementation: Implementation) -> bool:
    staff = staff_profile(user)
    return bool(
        staff is not None
        and staff.department_id == implementation.department_id
        and staff.role_codes & EDITOR_ROLES
    )


def can_review(user: Any, version: DecisionTableVersion) -> bool:
    staff = staff_profile(user)
    return bool(
        staff is not None
        and staff.department_id == version.implementation.department_id
        and staff.role_codes & REVIEWER_ROLES
        and version.author_id != getattr(user, "pk", None)
        and version.status == DecisionTableStatus.SUBMITTED
    )


# --- the diff a reviewer reads


def _cells(table: Table, row: Row, old: Row | None) -> dict[str, Any]:
    """One rule for display: each input cell and output beside its column (and, in a
    diff, what it was before when that differs)."""
    cells = []
    for index, column in enumerate(table.inputs):
        value = row.inputs[index] if index < len(row.inputs) else "-"
        before = old.inputs[index] if old is not None and index < len(old.inputs) else None
        cells.append({"column": column, "value": value, "old": before if before != value else None})
    outputs = []
    for column in table.editable_outputs:
        value = row.outputs.get(column.name, "")
        before = old.outputs.get(column.name, "") if old is not None else None
        outputs.append(
            {
                "column": column,
                "name": column.name,
                "value": value,
                "old": before if before != value else None,
            }
        )
    return {"row": row, "cells": cells, "outputs": outputs}


def rule_views(table: Table) -> list[dict[str, Any]]:
    return [
        {**_cells(table, row, None), "status": "", "position": i + 1}
        for i, row in enumerate(table.rows)
    ]


def table_diff(old: Table, new: Table) -> list[dict[str, Any]]:
    """Rule by rule: each new rule as added / changed (with what it was) / unchanged,
    whether it moved, then the rules that were removed."""
    before = {row.id: (index, row) for index, row in enumerate(old.rows)}
    out: list[dict[str, Any]] = []
    for index, row in enumerate(new.rows):
        previous = before.get(row.id)
        if previous is None:
            out.append({**_cells(new, row, None), "status": "added", "position": index + 1})
            continue
        old_index, old_row = previous
        view = _cells(new, row, old_row)
        changed = (
            any(c["old"] is not None for c in view["cells"] + view["outputs"])
            or old_row.description != row.description
        )
        out.append(
            {
                **view,
                "status": "changed" if changed else "unchanged",
                "position": index + 1,
                "moved_from": old_index + 1 if old_index != index else None,
                "old_description": old_row.description
                if old_row.description != row.description
                else None,
            }
        )
    new_ids = {row.id for row in new.rows}
    out += [
        {**_cells(old, row, None), "status": "removed", "position": index + 1}
        for index, row in enumerate(old.rows)
        if row.id not in new_ids
    ]
    return out


# --- validation of submitted rows


def _decision_choices(bpmn_xml: str) -> list[str]:
    """The decisions the process's gateways test (``decision == "approve"``)."""
    root = etree.fromstring(
        bpmn_xml.encode(), parser=etree.XMLParser(resolve_entities=False, no_network=True)
    )
    found: set[str] = set()
    for node in root.iter(f"{{{BPMN_NS}}}conditionExpression"):
        found.update(DECISION_RE.findall(node.text or ""))
    return sorted(found)


Errors = dict[str, list[ValidationError]]


def _add(errors: Errors, key: str, error: ValidationError) -> None:
    errors.setdefault(key, []).append(error)


def _row_heading_clean(row: Row, key: str, number: int, taken: set[str], errors: Errors) -> None:
    row.id = row.id.strip()
    row.description = row.description.strip()
    if not RULE_ID_RE.match(row.id) or len(row.id) > MAX_RULE_ID:
        _add(errors, f"{key}.id", _invalid(MSG_RULE_ID, "rule_id", row=number))
    elif row.id in taken:
        _add(
            errors, f"{key}.id", _invalid(MSG_RULE_ID_TAKEN, "rule_id_taken", row=number, id=row.id)
        )
    taken.add(row.id)
    if len(row.description) > 200 or _CONTROL.search(row.description):
        _add(errors, f"{key}.description", _invalid(MSG_NOTE_INVALID, "note_invalid", row=number))


def _row_cells_clean(table: Table, row: Row, key: str, number: int, errors: Errors) -> None:
    cells = []
    for j, (column, text) in enumerate(zip(table.inputs, row.inputs, strict=True)):
        try:
            cells.append(cell_to_feel(cell_parse(text, type_ref=column.type_ref)))
        except CellError as exc:
            label = column.label or column.expression
            _add(
                errors,
                f"{key}.inputs.{j}",
                _invalid(MSG_CELL, "cell", row=number, column=label, problem=exc.message),
            )
            cells.append(text)
    row.inputs = cells


def _row_outputs_clean(
    table: Table, row: Row, key: str, number: int, choices: list[str], errors: Errors
) -> None:
    outputs = {}
    for column in table.editable_outputs:
        value = row.outputs.get(column.name, "").strip()
        field = f"{key}.{column.name}"
        label = column.label or column.name
        if column.name == DECISION_OUTPUT and choices and value not in choices:
            choice_text = ", ".join(choices)
            _add(errors, field, _invalid(MSG_DECISION, "decision", row=number, choices=choice_text))
        elif not value:
            _add(
                errors,
                field,
                _invalid(MSG_OUTPUT_REQUIRED, "output_required", row=number, column=label),
            )
        elif len(value) > MAX_OUTPUT or _CONTROL.search(value):
            _add(
                errors,
                field,
                _invalid(MSG_OUTPUT_INVALID, "output_invalid", row=number, column=label),
            )
        outputs[column.name] = value
    row.outputs = outputs


def rows_clean(*, table: Table, rows: list[dict[str, Any]], bpmn_xml: str) -> list[Row]:
    """Check every rule and cell; raise one ``ValidationError`` keyed by field
    (``rows.<i>.inputs.<j>``, ``rows.<i>.<output>``, ``rows.<i>.id``...) naming each cell."""
    if not rows:
        raise ValidationError({"rows": [_invalid(MSG_NO_ROWS, "no_rows")]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"rows": [_invalid(MSG_TOO_MANY_ROWS, "too_many_rows")]})
    errors: Errors = {}
    taken = table.structural_ids()
    choices = _decision_choices(bpmn_xml)
    cleaned = []
    for index, raw in enumerate(rows):
        row, key, number = Row.from_json(raw), f"rows.{index}", index + 1
        _row_heading_clean(row, key, number, taken, errors)
        if len(row.inputs) != len(table.inputs):
            _add(errors, key, _invalid(MSG_WRONG_CELL_COUNT, "cell_count", row=number))
            continue
        _row_cells_clean(table, row, key, number, errors)
        _row_outputs_clean(table, row, key, number, choices, errors)
        cleaned.append(row)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _table_with(table: Table, rows: list[Row]) -> Table:
    return Table(**{**table.__dict__, "rows": rows})


def _dmn_for(base: ProcessDefinition, rows: list[Row], number: int) -> str:
    table = _table_with(table_parse(base.dmn_xml), rows)
    dmn_xml = table_to_xml(table, version_tag=str(number))
    process_parse(base.bpmn_xml, dmn_xml)  # the engine loads it, or the error says why
    return dmn_xml


# --- changes


def _lock(implementation: Implementation) -> Implementation:
    return (
        Implementation.objects.select_for_update(of=("self",))
        .select_related("published_version", "department", "item")
        .get(pk=implementation.pk)
    )


def _audit(actor: Any, action: str, version: DecisionTableVersion, **details: Any) -> None:
    audit_log(
        actor=actor,
        action=f"applications.rules_{action}",
        target_type="decision_table_version",
        target_id=f"{version.implementation_id}:{version.number}",
        region_code=version.implementation.region_id,
        details={"decision": version.decision_ref, "version": version.number, **details},
    )


def _item_names(implementation: Implementation) -> dict[str, str]:
    published = implementation.item.published_version
    zh = str(published.name_zh) if published else implementation.item.code
    en = str(published.name_en or zh) if published else zh
    return {"item_zh": zh, "item_en": en}


def _link(version: DecisionTableVersion) -> str:
    return f"/applications/staff/rules/{version.implementation_id}/versions/{version.number}/"


@transaction.atomic
def decision_table_draft_save(
    *,
    user: Any,
    implementation: Implementation,
    rows: list[dict[str, Any]],
    number: int | None = None,
) -> DecisionTableVersion:
    """Create the draft (``number`` None) or update draft ``number`` with ``rows``.

    A page that was opened on another draft, or before someone else started one, gets a
    "stale" error; a submitted version cannot be edited.
    """
    implementation = _lock(implementation)
    if not can_edit(user, implementation):
        raise PermissionDenied(MSG_NOT_EDITOR)
    base = definition_in_force(implementation)
    if base is None or not base.dmn_xml:
        raise Http404
    current = open_version(implementation)
    if current is not None and current.number == number:
        if current.status == DecisionTableStatus.SUBMITTED:
            raise _invalid(MSG_SUBMITTED, "submitted")
        if current.base_definition_id != base.pk:
            raise _invalid(MSG_STALE_TABLE, "stale_table")
    elif current is not None or number is not None:
        raise _invalid(MSG_STALE_DRAFT, "stale_draft")
    table = table_parse(base.dmn_xml)
    cleaned = rows_clean(table=table, rows=rows, bpmn_xml=base.bpmn_xml)
    if current is None:
        last = (
            DecisionTableVersion.objects.filter(implementation=implementation)
            .order_by("-number")
            .first()
        )
        current = DecisionTableVersion(
            implementation=implementation,
            number=(last.number + 1) if last else 1,
            decision_ref=table.decision_id,
            base_definition=base,
            author=user,
        )
        action = "drafted"
    else:
        action = "edited"
    current.rows = [row.as_json() for row in cleaned]
    current.dmn_xml = _dmn_for(base, cleaned, current.number)
    current.save()
    _audit(user, "drafted", current, change=action, rules=len(cleaned))
    return current


def _open_for_update(version: DecisionTableVersion) -> DecisionTableVersion:
    _lock(version.implementation)
    return (
        DecisionTableVersion.objects.select_for_update(of=("self",))
        .select_related("implementation__item__published_version", "base_definition", "author")
        .get(pk=version.pk)
    )


@transaction.atomic
def decision_table_submit(*, user: Any, version: DecisionTableVersion) -> DecisionTableVersion:
    """Send a draft for sign-off; the department's reviewers are asked."""
    version = _open_for_update(version)
    implementation = version.implementation
    if not can_edit(user, implementation):
        raise PermissionDenied(MSG_NOT_EDITOR)
    if version.status == DecisionTableStatus.SUBMITTED:
        raise _invalid(MSG_SUBMITTED, "submitted")
    if version.status != DecisionTableStatus.DRAFT:
        raise _invalid(MSG_NOT_DRAFT, "not_draft")
    in_force = definition_in_force(implementation)
    if in_force is None or in_force.pk != version.base_definition_id:
        raise _invalid(MSG_STALE_TABLE, "stale_table")
    version.status = DecisionTableStatus.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at", "updated_at"])
    _audit(user, "submitted", version)
    reviewers = (
        User.objects.filter(
            is_active=True,
            staff__department_id=implementation.department_id,
            staff__roles__role__in=list(REVIEWER_ROLES),
        )
        .exclude(pk=version.author_id)
        .distinct()
    )
    for reviewer in reviewers:
        notification_send(
            user=reviewer,
            template="decision_table_review_requested",
            context={
                **_item_names(implementation),
                "version": version.number,
                "author": str(version.author),
                "link_url": _link(version),
            },
        )
    return version


@transaction.atomic
def decision_table_discard(*, user: Any, version: DecisionTableVersion) -> DecisionTableVersion:
    """Drop a draft that will not go ahead (kept, marked discarded, for the record)."""
    version = _open_for_update(version)
    if not can_edit(user, version.implementation):
        raise PermissionDenied(MSG_NOT_EDITOR)
    if version.status != DecisionTableStatus.DRAFT:
        raise _invalid(MSG_NOT_DRAFT, "not_draft")
    version.status = DecisionTableStatus.DISCARDED
    version.save(update_fields=["status", "updated_at"])
    _audit(user, "discarded", version)
    return version


@transaction.atomic
def decision_table_review(
    *, user: Any, version: DecisionTableVersion, approve: bool, comment: str = ""
) -> DecisionTableVersion:
    """Approve (and publish for new applications) or reject a submitted version.

    Never by its author; refused with nothing changed when another version was approved
    since this one was started.
    """
    version = _open_for_update(version)
    implementation = version.implementation
    staff = staff_profile(user)
    if (
        staff is None
        or staff.department_id != implementation.department_id
        or not staff.role_codes & REVIEWER_ROLES
    ):
        raise PermissionDenied(MSG_NOT_REVIEWER)
    if version.author_id == user.pk:
        raise _invalid(MSG_OWN_DRAFT, "own_draft")
    if version.status != DecisionTableStatus.SUBMITTED:
        raise _invalid(MSG_NOT_SUBMITTED, "not_submitted")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": [_invalid(MSG_COMMENT_TOO_LONG, "comment_too_long")]})
    if not approve and not comment:
        raise ValidationError({"comment": [_invalid(MSG_COMMENT_REQUIRED, "comment_required")]})
    in_force = definition_in_force(implementation)
    if approve and (in_force is None or in_force.pk != version.base_definition_id):
        raise _invalid(MSG_STALE_TABLE, "stale_table")
    version.reviewer = user
    version.reviewed_at = timezone.now()
    version.review_comment = comment
    if approve:
        version.definition = _publish(user=user, version=version)
        version.status = DecisionTableStatus.APPROVED
    else:
        version.status = DecisionTableStatus.REJECTED
    version.save()
    _audit(user, "approved" if approve else "rejected", version, comment=comment[:200])
    if approve and version.definition is not None:
        _audit(
            user,
            "published",
            version,
            key=version.definition.key,
            definition_version=version.definition.version,
        )
    notification_send(
        user=version.author,
        template="decision_table_reviewed",
        context={
            **_item_names(implementation),
            "version": version.number,
            "approved": approve,
            "comment": comment,
            "link_url": _link(version),
        },
    )
    return version


def implementation_process_key(implementation: Implementation, family: str) -> str:
    """The implementation's own process key: its tables never change another region's."""
    return f"{family}@{implementation.pk}"


def _publish(*, user: Any, version: DecisionTableVersion) -> ProcessDefinition:
    implementation = version.implementation
    base = version.base_definition
    family = base.key.split("@", 1)[0]
    key = implementation_process_key(implementation, family)
    definition = process_definition_install_table(
        actor=user, base=base, key=key, bpmn_xml=base.bpmn_xml, dmn_xml=version.dmn_xml
    )
    _relink(implementation, key)
    return definition


@transaction.atomic
def process_definition_install_table(
    *, actor: Any, base: ProcessDefinition, key: str, bpmn_xml: str, dmn_xml: str
) -> ProcessDefinition:
    """Install a new version of ``key`` that changes only the decision table.

    Open to department staff (through ``decision_table_review``) because nothing in it
    runs code: the BPMN must be byte-identical to ``base``'s (installed by a platform
    admin) and every cell must be in the safe subset.
    """
    if bpmn_xml != base.bpmn_xml:
        raise _invalid(MSG_BPMN_CHANGED, "bpmn_changed")
    if not table_cells_safe(dmn_xml):
        raise _invalid(MSG_UNSAFE_TABLE, "unsafe_table")
    parsed = process_parse(bpmn_xml, dmn_xml)
    family = base.key.split("@", 1)[0]
    if parsed.key != family or key.split("@", 1)[0] != family:
        raise _invalid(MSG_BPMN_CHANGED, "bpmn_changed")
    in_family = Q(key=family) | Q(key__startswith=f"{family}@")
    # Lock the whole family first, then read the highest number in a fresh statement: an
    # approval for another region committed while we waited is then counted too, so
    # "table vN" stays unique across the family (the rules page groups by it).
    list(ProcessDefinition.objects.select_for_update().filter(in_family).values_list("pk"))
    last = ProcessDefinition.objects.filter(in_family).aggregate(Max("version"))["version__max"]
    definition = ProcessDefinition.objects.create(
        key=key,
        version=(last or 0) + 1,
        name=parsed.name,
        bpmn_xml=bpmn_xml,
        dmn_xml=dmn_xml,
        sha256=parsed.sha256,
        user_tasks=parsed.user_tasks,
        installed_by=actor,
    )
    audit_log(
        actor=actor,
        action="applications.process_install",
        target_type="process_definition",
        target_id=str(definition.pk),
        details={
            "key": definition.key,
            "version": definition.version,
            "sha256": parsed.sha256,
            "table_only": True,
        },
    )
    return definition


def _relink(implementation: Implementation, key: str) -> None:
    """Point the implementation at its own process key (once), through the catalogue's
    own services, as the platform: a new catalogue version identical but for the key."""
    from yiwang.catalog.services import (
        implementation_version_draft,
        implementation_version_publish,
        implementation_version_update,
    )

    published = implementation.published_version
    if published is not None and published.process_ref == key:
        return
    open_statuses = [VersionStatus.DRAFT, VersionStatus.IN_REVIEW]
    if implementation.versions.filter(status__in=open_statuses).exists():
        raise _invalid(MSG_CATALOGUE_DRAFT_OPEN, "catalogue_draft_open")
    draft = implementation_version_draft(implementation=implementation, by=None)
    implementation_version_update(
        version=draft, content={"process_ref": key}, materials=None, by=None
    )
    implementation_version_publish(version=draft, by=None, skip_review=True)


# --- trying a table out


def _test_value(column: Any, raw: str) -> Any:
    text = raw.strip()
    if column.type_ref in BOOLEAN_TYPES:
        if text not in ("true", "false"):
            raise CellError(MSG_TEST_BOOLEAN)
        return text == "true"
    if column.type_ref in NUMBER_TYPES:
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise CellError(MSG_TEST_NUMBER) from exc
        if not number.is_finite():
            raise CellError(MSG_TEST_NUMBER)
        return int(number) if number == number.to_integral_value() else float(number)
    return text


def decision_table_test(
    *, table: Table, bpmn_xml: str, dmn_xml: str, values: dict[str, str]
) -> Evaluation:
    """Evaluate ``dmn_xml`` on the given input values (keyed by input expression) with the
    engine, exactly as a new application would be; nothing is stored."""
    data: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}
    for column in table.inputs:
        try:
            data[column.expression] = _test_value(column, values.get(column.expression, ""))
        except CellError as exc:
            errors[column.expression] = [
                _invalid(
                    MSG_TEST_VALUE,
                    "test_value",
                    column=column.label or column.expression,
                    problem=exc.message,
                )
            ]
    if errors:
        raise ValidationError(errors)
    return table_evaluate(bpmn_xml=bpmn_xml, dmn_xml=dmn_xml, data=data)
