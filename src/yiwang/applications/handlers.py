"""Service-task handlers for the demo processes, registered by topic at start-up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yiwang.applications.engine.handlers import service_handler_register

MSG_INSTANT_APPROVED = _("Your identity is verified, so the certificate can be issued at once.")
MSG_INSTANT_REJECTED = _(
    "We could not verify your identity from your account; please complete real-name "
    "verification and apply again."
)


def instant_decide(application: Any, data: dict[str, Any]) -> None:
    """即办: a verified real-name citizen may print their own certificate at once."""
    profile = getattr(application.applicant, "citizen", None)
    verified = bool(profile is not None and getattr(profile, "id_number", ""))
    data["decision"] = "approve" if verified else "reject"
    reason = MSG_INSTANT_APPROVED if verified else MSG_INSTANT_REJECTED
    data["reason"] = str(reason)
    application.decision_reason = str(reason)


def issue_result(application: Any, data: dict[str, Any]) -> None:
    """Record that the result was issued. E-certificates are issued by a later step."""
    from yiwang.applications.models import ApplicationEvent

    ApplicationEvent.objects.create(application=application, kind="result_issued")
    data["issued"] = True


def escalate(application: Any, data: dict[str, Any]) -> None:
    """超期: mark the application overdue, tell the applicant we are sorry, and record it
    for the region's supervisors."""
    from yiwang.applications.models import ApplicationEvent
    from yiwang.audit.services import audit_log
    from yiwang.notify.services import notification_send

    ApplicationEvent.objects.create(
        application=application, kind="overdue", department=application.holder_department
    )
    audit_log(
        actor=None,
        action="applications.overdue",
        target_type="application",
        target_id=application.number,
        region_code=application.region_code,
    )
    data["escalated"] = True
    notification_send(
        user=application.applicant,
        template="application_overdue",
        context={"number": application.number, "link_url": f"/applications/{application.number}/"},
        channels=("inapp", "sms"),
    )
    for supervisor in _supervisors(application.region_code):
        notification_send(
            user=supervisor,
            template="application_overdue_staff",
            context={
                "number": application.number,
                "department": str(application.holder_department or ""),
                "link_url": "/applications/staff/?view=overdue",
            },
        )


def _supervisors(region_code: str) -> list[Any]:
    """督办: supervisors of the application's region or any region above it."""
    from yiwang.accounts.models import Role, User

    prefixes = [region_code[:n] for n in (2, 4, 6, 9, 12) if n <= len(region_code)]
    return list(
        User.objects.filter(
            is_active=True,
            staff__region_id__in=prefixes,
            staff__roles__role=Role.SUPERVISOR,
        ).distinct()
    )


def handlers_register() -> None:
    service_handler_register(topic="applications.instant_decide", handler=instant_decide)
    service_handler_register(topic="applications.issue_result", handler=issue_result)
    service_handler_register(topic="applications.escalate", handler=escalate)
