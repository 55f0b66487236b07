"""``/api/v1/applications/rules``: decision table versions — list, read, draft, submit,
approve/reject, and test-evaluate. Department staff with a TOTP-verified web session."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status

from yiwang.applications.dmn_tables import DECISION_OUTPUT
from yiwang.applications.models import DecisionTableVersion
from yiwang.applications.services import rules as svc

router = Router(tags=["decision tables"])


class RowIn(Schema):
    id: str
    description: str = ""
    inputs: list[str]
    outputs: dict[str, str]


class DraftIn(Schema):
    rows: list[RowIn]
    # The open draft's number when editing it; omit to start a new draft.
    number: int | None = None


class ReviewIn(Schema):
    approve: bool
    comment: str = ""


class TestIn(Schema):
    values: dict[str, str]


class ColumnOut(Schema):
    id: str
    label: str
    type_ref: str
    expression: str
    name: str


class VersionOut(Schema):
    implementation_id: int
    number: int
    status: str
    decision_ref: str
    author: str
    reviewer: str
    review_comment: str
    submitted_at: str | None
    reviewed_at: str | None
    base_definition_version: int
    published_definition_version: int | None
    rows: list[dict[str, Any]] | None = None
    dmn_xml: str | None = None


class TableOut(Schema):
    implementation_id: int
    decision_ref: str
    hit_policy: str
    definition_version: int
    inputs: list[ColumnOut]
    outputs: list[ColumnOut]
    rows: list[dict[str, Any]]
    versions: list[VersionOut]


class TestOut(Schema):
    matched: bool
    rule_id: str
    decision: str
    reason_zh: str
    reason_en: str


def _staff(request: HttpRequest) -> Any:
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or not getattr(user, "is_government_staff", False) or not verified:
        raise PermissionDenied
    return user


def _version(v: DecisionTableVersion, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "implementation_id": v.implementation_id,
        "number": v.number,
        "status": v.status,
        "decision_ref": v.decision_ref,
        "author": str(v.author),
        "reviewer": str(v.reviewer or ""),
        "review_comment": v.review_comment,
        "submitted_at": v.submitted_at.isoformat() if v.submitted_at else None,
        "reviewed_at": v.reviewed_at.isoformat() if v.reviewed_at else None,
        "base_definition_version": v.base_definition.version,
        "published_definition_version": v.definition.version if v.definition else None,
    }
    if full:
        out["rows"] = list(v.rows)
        out["dmn_xml"] = v.dmn_xml
    return out


def _column(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "label": c.label,
        "type_ref": c.type_ref,
        "expression": c.expression,
        "name": c.name,
    }


@router.get("/{implementation_id}", response=TableOut, summary="A decision table and its versions")
def table(request: HttpRequest, implementation_id: int) -> dict[str, Any]:
    user = _staff(request)
    entry = svc.rule_table_get_for_staff(user=user, implementation_id=implementation_id)
    versions = svc.table_versions_for_staff(user=user, implementation_id=implementation_id)
    return {
        "implementation_id": implementation_id,
        "decision_ref": entry.table.decision_id,
        "hit_policy": entry.table.hit_policy,
        "definition_version": entry.definition.version,
        "inputs": [_column(c) for c in entry.table.inputs],
        "outputs": [_column(c) for c in entry.table.outputs],
        "rows": [r.as_json() for r in entry.table.rows],
        "versions": [_version(v) for v in versions],
    }


@router.get(
    "/{implementation_id}/versions", response=list[VersionOut], summary="Decision table versions"
)
def versions(request: HttpRequest, implementation_id: int) -> list[dict[str, Any]]:
    user = _staff(request)
    return [
        _version(v)
        for v in svc.table_versions_for_staff(user=user, implementation_id=implementation_id)
    ]


@router.get(
    "/{implementation_id}/versions/{number}", response=VersionOut, summary="One table version"
)
def version(request: HttpRequest, implementation_id: int, number: int) -> dict[str, Any]:
    user = _staff(request)
    found = svc.table_version_get_for_staff(
        user=user, implementation_id=implementation_id, number=number
    )
    return _version(found, full=True)


@router.post(
    "/{implementation_id}/versions",
    response={201: VersionOut},
    summary="Create or update the draft",
)
def draft(request: HttpRequest, implementation_id: int, payload: DraftIn) -> Status:
    user = _staff(request)
    entry = svc.rule_table_get_for_staff(user=user, implementation_id=implementation_id)
    saved = svc.decision_table_draft_save(
        user=user,
        implementation=entry.implementation,
        rows=[r.dict() for r in payload.rows],
        number=payload.number,
    )
    return Status(201, _version(saved, full=True))


@router.post(
    "/{implementation_id}/versions/{number}/submit",
    response=VersionOut,
    summary="Submit a draft for sign-off",
)
def submit(request: HttpRequest, implementation_id: int, number: int) -> dict[str, Any]:
    user = _staff(request)
    found = svc.table_version_get_for_staff(
        user=user, implementation_id=implementation_id, number=number
    )
    return _version(svc.decision_table_submit(user=user, version=found))


@router.post(
    "/{implementation_id}/versions/{number}/review",
    response=VersionOut,
    summary="Approve (and publish) or reject a submitted version",
)
def review(
    request: HttpRequest, implementation_id: int, number: int, payload: ReviewIn
) -> dict[str, Any]:
    user = _staff(request)
    found = svc.table_version_get_for_staff(
        user=user, implementation_id=implementation_id, number=number
    )
    reviewed = svc.decision_table_review(
        user=user, version=found, approve=payload.approve, comment=payload.comment
    )
    return _version(reviewed)


@router.post(
    "/{implementation_id}/versions/{number}/test",
    response=TestOut,
    summary="Evaluate a version on sample input values",
)
def test(request: HttpRequest, implementation_id: int, number: int, payload: TestIn) -> Any:
    user = _staff(request)
    found = svc.table_version_get_for_staff(
        user=user, implementation_id=implementation_id, number=number
    )
    result = svc.decision_table_test(
        table=svc.version_table(found),
        bpmn_xml=found.base_definition.bpmn_xml,
        dmn_xml=found.dmn_xml,
        values=payload.values,
    )
    return {
        "matched": bool(result.rule_ids),
        "rule_id": result.rule_ids[0] if result.rule_ids else "",
        "decision": str(result.outputs.get(DECISION_OUTPUT, "")),
        "reason_zh": str(result.outputs.get("reason_zh", "")),
        "reason_en": str(result.outputs.get("reason_en", "")),
    }
