"""Service-task handlers for the demo processes, registered by topic at start-up."""

from __future__ import annotations

from typing import Any

from yiwang.applications.engine.handlers import ServiceCall, service_handler_register


def record_decision(application: Any, data: dict[str, Any], call: ServiceCall) -> None:
    """After a DMN business rule task: keep what the rules saw and decided, for the
    applicant (the reason) and for supervisors (appeal and overturn rates per rule)."""
    from yiwang.applications.engine.definitions import decision_ids
    from yiwang.applications.models import AutomatedDecision

    definition = application.definition
    decisions = decision_ids(definition.dmn_xml)
    AutomatedDecision.objects.create(
        application=application,
        definition=definition,
        decision_ref=decisions[0] if decisions else "",
        rule_id=str(data.get("rule_id", "")),
        inputs={k: data[k] for k in sorted(data) if k.startswith("applicant_")},
        outcome=str(data.get("decision", "")),
        reason_zh=str(data.get("reason_zh", "")),
        reason_en=str(data.get("reason_en", "")),
    )
    application.decision_reason = str(data.get("reason_zh", ""))


def issue_result(application: Any, data: dict[str, Any], call: ServiceCall) -> None:
    """出证: issue the e-certificate the task's ``certificate_type`` property names (see
    ``applications.certificate_data``), in the same transaction as the approval, and
    record it on the timeline. The certificate's source is the application and this task,
    so a task that runs again finds the certificate it issued instead of issuing another.
    Without the property the result is only recorded (a paper result, say)."""
    from yiwang.applications.certificate_data import certificate_data_build
    from yiwang.applications.engine.definitions import CERTIFICATE_PROPERTY
    from yiwang.applications.models import ApplicationEvent
    from yiwang.certificates.models import Certificate
    from yiwang.certificates.services import certificate_issue

    code = call.properties.get(CERTIFICATE_PROPERTY, "")
    details: dict[str, Any] = {}
    if code:
        source = f"application:{application.number}:{call.bpmn_id}"
        certificate = Certificate.objects.filter(source_reference=source).first()
        if certificate is None:
            certificate = certificate_issue(
                certificate_type_code=code,
                holder=application.applicant,
                issuer_department=application.implementation.department,
                data=certificate_data_build(application=application, certificate_type_code=code),
                source_reference=source,
            )
        application.result_certificate = certificate
        details = {
            "certificate": certificate.number,
            "type_zh": certificate.certificate_type.name,
            "type_en": certificate.certificate_type.name_en,
        }
        data["certificate_number"] = certificate.number
    if not ApplicationEvent.objects.filter(
        application=application, kind="result_issued", details__step=call.bpmn_id
    ).exists():
        ApplicationEvent.objects.create(
            application=application,
            kind="result_issued",
            department=application.implementation.department,
            details={"step": call.bpmn_id, **details},
        )
    data["issued"] = True


def escalate(application: Any, data: dict[str, Any], call: ServiceCall) -> None:
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
    service_handler_register(topic="applications.record_decision", handler=record_decision)
    service_handler_register(topic="applications.issue_result", handler=issue_result)
    service_handler_register(topic="applications.escalate", handler=escalate)
