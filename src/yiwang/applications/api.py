"""``/api/v1/applications``: apply, track, supplement, withdraw; the staff inbox and steps."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from yiwang.applications import selectors, services
from yiwang.applications.models import Application, WorkItem
from yiwang.applications.uploads import application_material_add
from yiwang.catalog.models import Implementation

router = Router(tags=["applications"])
PAGE = 50


class DraftIn(Schema):
    implementation_id: int
    form_data: dict[str, Any] = {}
    # Set when an authorised agent applies on behalf of an enterprise.
    enterprise_id: int | None = None


class FormIn(Schema):
    form_data: dict[str, Any]


class SubmitIn(Schema):
    submit_token: uuid.UUID


class ActIn(Schema):
    action: str
    reason: str = ""
    checklist: list[str] = []


class EventOut(Schema):
    kind: str
    message: str
    department: str
    created_at: str
    details: dict[str, Any]


class ApplicationOut(Schema):
    number: str
    status: str
    status_label: str
    service_name: str
    implementation_id: int
    form_data: dict[str, Any]
    deadline: str | None
    holder_department: str
    decision_reason: str
    enterprise: str
    expected_of_applicant: list[str]
    # The e-certificate the approval issued (in the applicant's wallet), if any.
    certificate_number: str = ""
    timeline: list[EventOut] | None = None


class CertificateLinkIn(Schema):
    material_id: int
    certificate_number: str


class MaterialOut(Schema):
    id: int
    material_id: int | None
    certificate_number: str
    certificate_type: str
    verification_status: str
    disclosed_fields: list[dict[str, str]]


class CommentIn(Schema):
    text: str


class WorkItemOut(Schema):
    id: int
    application_number: str
    service_name: str
    step: str
    status: str
    deadline: str | None
    overdue: bool
    claimed_by_me: bool
    claimed: bool
    actions: list[str]


def _citizen(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_citizen", False):
        raise PermissionDenied
    return user


def _staff(request: HttpRequest) -> Any:
    """Staff work needs a web session that passed TOTP; bearer tokens never reach it."""
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or not getattr(user, "is_government_staff", False) or not verified:
        raise PermissionDenied
    return user


def _service_name(application: Application) -> str:
    version = application.implementation.item.published_version
    return str(version.name) if version else application.implementation.item.code


def _application(application: Application, *, timeline: bool = False) -> dict[str, Any]:
    out = {
        "number": application.number,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "service_name": _service_name(application),
        "implementation_id": application.implementation_id,
        "form_data": application.form_data,
        "deadline": application.deadline.isoformat() if application.deadline else None,
        "holder_department": str(application.holder_department or ""),
        "decision_reason": selectors.decision_reason(application),
        "enterprise": application.enterprise.name if application.enterprise else "",
        "expected_of_applicant": selectors.supplement_checklist(application),
        "certificate_number": (
            application.result_certificate.number if application.result_certificate else ""
        ),
    }
    if timeline:
        out["timeline"] = [
            {
                "kind": e.kind,
                "message": e.message,
                "department": str(e.department or ""),
                "created_at": e.created_at.isoformat(),
                "details": e.details,
            }
            for e in selectors.timeline_for_citizen(application)
        ]
    return out


def _item(item: WorkItem, user: Any) -> dict[str, Any]:
    application = item.application
    return {
        "id": item.pk,
        "application_number": application.number,
        "service_name": _service_name(application),
        "step": item.name,
        "status": item.status,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "overdue": item.is_overdue,
        "claimed_by_me": item.claimed_by_id == user.pk,
        "claimed": item.claimed_by_id is not None,
        "actions": selectors.item_actions(item),
    }


# --- citizens


@router.get("/mine", response=list[ApplicationOut], summary="My applications")
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    user = _citizen(request)
    return [_application(a) for a in selectors.applications_for_citizen(user=user)[:PAGE]]


@router.post("/", response={201: ApplicationOut}, summary="Start a draft application")
def draft_create(request: HttpRequest, payload: DraftIn) -> Status:
    user = _citizen(request)
    implementation = get_object_or_404(Implementation, pk=payload.implementation_id)
    application = services.application_draft_save(
        user=user,
        implementation=implementation,
        form_data=payload.form_data,
        enterprise_id=payload.enterprise_id,
    )
    return Status(201, _application(application))


@router.get("/{number}", response=ApplicationOut, summary="One of my applications")
def detail(request: HttpRequest, number: str) -> dict[str, Any]:
    user = _citizen(request)
    application = selectors.application_get_for_citizen(user=user, number=number)
    return _application(application, timeline=True)


@router.put("/{number}", response=ApplicationOut, summary="Save my draft")
def draft_update(request: HttpRequest, number: str, payload: FormIn) -> dict[str, Any]:
    user = _citizen(request)
    application = selectors.application_get_for_citizen(user=user, number=number)
    application = services.application_draft_save(
        user=user,
        implementation=application.implementation,
        form_data=payload.form_data,
        application=application,
    )
    return _application(application)


@router.post("/{number}/submit", response=ApplicationOut, summary="Submit my draft")
def submit(request: HttpRequest, number: str, payload: SubmitIn) -> dict[str, Any]:
    user = _citizen(request)
    application = selectors.application_get_for_citizen(user=user, number=number)
    application = services.application_submit(
        user=user, application=application, submit_token=payload.submit_token
    )
    return _application(application, timeline=True)


@router.post("/{number}/supplement", response=ApplicationOut, summary="Answer a 补正 request")
def supplement(request: HttpRequest, number: str, payload: FormIn) -> dict[str, Any]:
    user = _citizen(request)
    application = selectors.application_get_for_citizen(user=user, number=number)
    application = services.application_supplement(
        user=user, application=application, form_data=payload.form_data
    )
    return _application(application, timeline=True)


class AppealIn(Schema):
    reason: str


@router.post("/{number}/appeal", response=ApplicationOut, summary="Appeal an automated decision")
def appeal(request: HttpRequest, number: str, payload: AppealIn) -> dict[str, Any]:
    user = _citizen(request)
    application = selectors.application_get_for_citizen(user=user, number=number)
    application = services.application_appeal(
        user=user, application=application, reason=payload.reason
    )
    return _application(application, timeline=True)


@router.post(
    "/{number}/materials/certificate",
    response={201: MaterialOut},
    summary="Offer an e-certificate instead of a material (免提交)",
)
def certificate_link(request: HttpRequest, number: str, payload: CertificateLinkIn) -> Status:
    """The certificate must be the caller's own, of the material's type, not revoked or
    expired; otherwise 422 with the problem on ``certificate`` and nothing saved."""
    user = _citizen(request)
    application = selectors.application_get_for_citizen(user=user, number=number)
    material = get_object_or_404(
        application.implementation_version.materials, pk=payload.material_id
    )
    linked = services.application_material_certificate_link(
        user=user, application=application, material=material, number=payload.certificate_number
    )
    return Status(201, {
        "id": linked.pk, "material_id": linked.material_id,
        "certificate_number": linked.certificate_number,
        "certificate_type": linked.certificate_type_code,
        "verification_status": linked.verification_status,
        "disclosed_fields": [
            {"name": label, "value": value} for label, value in linked.disclosed_display()
        ],
    })  # fmt: skip


class UploadOut(Schema):
    id: int
    material_id: int | None
    original_name: str
    content_type: str
    size: int
    sha256: str


@router.post(
    "/{number}/materials", response={201: UploadOut}, summary="Upload a material (multipart)"
)
def material_upload(
    request: HttpRequest,
    number: str,
    file: File[UploadedFile],
    material_id: Form[int | None] = None,
) -> Status:
    """A PDF, JPEG or PNG, checked by its content; 422 ``type_not_allowed`` /
    ``type_mismatch`` / ``too_big`` / ``empty`` / ``not_editable`` and nothing saved."""
    user = _citizen(request)
    application = selectors.application_get_for_citizen(user=user, number=number)
    material = None
    if material_id is not None:
        material = get_object_or_404(application.implementation_version.materials, pk=material_id)
    stored = application_material_add(
        user=user, application=application, upload=file, material=material
    )
    return Status(201, {
        "id": stored.pk, "material_id": stored.material_id,
        "original_name": stored.original_name, "content_type": stored.content_type,
        "size": stored.size, "sha256": stored.sha256,
    })  # fmt: skip


@router.post("/{number}/withdraw", response=ApplicationOut, summary="Withdraw my application")
def withdraw(request: HttpRequest, number: str) -> dict[str, Any]:
    user = _citizen(request)
    application = selectors.application_get_for_citizen(user=user, number=number)
    application = services.application_withdraw(user=user, application=application)
    return _application(application, timeline=True)


# --- staff


@router.get("/staff/tasks", response=list[WorkItemOut], summary="My inbox")
def inbox(
    request: HttpRequest,
    view: str = "mine",
    sort: str = "deadline",
    item: str = "",
    status: str = "",
    overdue: bool = False,
    number: str = "",
    submitted_from: dt.date | None = None,
    submitted_to: dt.date | None = None,
    page: int = 1,
) -> list[dict[str, Any]]:
    """Filtered and sorted by deadline (``sort=-deadline`` for the latest first), 50 a page."""
    user = _staff(request)
    if view not in selectors.INBOX_VIEWS or sort not in selectors.INBOX_SORTS:
        raise Http404
    filters = selectors.InboxFilters(
        item=item, status=status, overdue=overdue, number=number,
        submitted_from=submitted_from, submitted_to=submitted_to, sort=sort,
    )  # fmt: skip
    start = (max(page, 1) - 1) * PAGE
    items = selectors.inbox_for_staff(user=user, view=view, filters=filters)[start : start + PAGE]
    return [_item(i, user) for i in items]


@router.post("/staff/tasks/{item_id}/comment", response={201: None}, summary="Add an internal note")
def comment(request: HttpRequest, item_id: int, payload: CommentIn) -> Status:
    """For colleagues only: on the staff timeline, never shown to the applicant."""
    services.task_comment(user=_staff(request), item_id=item_id, text=payload.text)
    return Status(201, None)


@router.post("/staff/tasks/{item_id}/claim", response=WorkItemOut, summary="Take a task")
def claim(request: HttpRequest, item_id: int) -> dict[str, Any]:
    user = _staff(request)
    return _item(services.task_claim(user=user, item_id=item_id), user)


@router.post("/staff/tasks/{item_id}/complete", response=ApplicationOut, summary="Act on a task")
def complete(request: HttpRequest, item_id: int, payload: ActIn) -> dict[str, Any]:
    user = _staff(request)
    application = services.task_complete(
        user=user,
        item_id=item_id,
        action=payload.action,
        reason=payload.reason,
        checklist=payload.checklist,
    )
    return _application(application)


# Decision tables (决策表): /api/v1/applications/rules/...
from yiwang.applications.api_rules import router as rules_router  # noqa: E402

router.add_router("/rules", rules_router)
