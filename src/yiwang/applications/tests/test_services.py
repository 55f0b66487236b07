"""Services end to end: install, draft, submit (idempotent), claim, act, supplement,
withdraw, timers; every refusal leaves everything as it was."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yiwang.accounts.tests.factories import StaffFactory
from yiwang.applications.models import (
    Application,
    ApplicationEvent,
    AutomatedDecision,
    ProcessDefinition,
    Status,
    WorkItem,
    WorkItemStatus,
)
from yiwang.applications.services import (
    application_submit,
    application_supplement,
    application_timers_fire,
    application_withdraw,
    process_definition_install,
    task_claim,
    task_complete,
)
from yiwang.applications.tests.factories import (
    GOOD_FORM,
    INSTANT,
    PARALLEL,
    TWO_STEP,
    bpmn,
    citizen,
    clerk,
    draft,
    platform_admin,
)
from yiwang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=False)


def _submitted(key: str = TWO_STEP, **kw: object) -> Application:
    app = draft(key, **kw)  # type: ignore[arg-type]
    return application_submit(user=app.applicant, application=app, submit_token=uuid.uuid4())


def _open(app: Application, bpmn_id: str) -> WorkItem:
    return WorkItem.objects.get(application=app, bpmn_id=bpmn_id, status=WorkItemStatus.OPEN)


def _act(user: object, app: Application, bpmn_id: str, action: str, **kw: object) -> Application:
    item = _open(app, bpmn_id)
    task_claim(user=user, item_id=item.pk)
    return task_complete(user=user, item_id=item.pk, action=action, **kw)  # type: ignore[arg-type]


# --- definitions


def test_only_platform_admins_install() -> None:
    with pytest.raises(PermissionDenied):
        process_definition_install(actor=clerk(), bpmn_xml=bpmn(TWO_STEP))
    assert not ProcessDefinition.objects.exists()


def test_install_versions_and_same_file_is_idempotent() -> None:
    admin = platform_admin()
    v1 = process_definition_install(actor=admin, bpmn_xml=bpmn(TWO_STEP))
    assert process_definition_install(actor=admin, bpmn_xml=bpmn(TWO_STEP)) == v1
    v2 = process_definition_install(actor=admin, bpmn_xml=bpmn(TWO_STEP).replace("审核", "复核"))
    assert (v1.version, v2.version) == (1, 2)
    assert v2.user_tasks["review"]["name"] == "复核"
    assert AuditEntry.objects.filter(action="applications.process_install").count() == 2


def test_running_application_stays_on_its_version() -> None:
    app = _submitted()
    process_definition_install(
        actor=platform_admin(), bpmn_xml=bpmn(TWO_STEP).replace("审核", "复核")
    )
    officer = clerk()
    app = _act(officer, app, "accept", "accept")
    assert app.definition is not None and app.definition.version == 1
    assert _open(app, "review").name == "审核"


# --- submit


def test_submit_starts_the_process_and_sets_the_working_day_deadline() -> None:
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC), tick=False):
        app = _submitted()
    assert app.status == Status.SUBMITTED
    # 5 working days: 8, 9, 10 (a make-up Saturday), 12, 13 October — 国庆 skipped.
    assert app.deadline == dt.date(2026, 10, 13)
    assert app.holder_department == app.implementation.department
    item = _open(app, "accept")
    assert item.region_code == "440106" and item.department == app.implementation.department
    assert list(app.events.values_list("kind", flat=True)) == ["submitted"]


def test_submit_twice_with_the_same_token_makes_one() -> None:
    app = draft()
    token = uuid.uuid4()
    first = application_submit(user=app.applicant, application=app, submit_token=token)
    again = application_submit(user=app.applicant, application=app, submit_token=token)
    assert again.pk == first.pk
    assert WorkItem.objects.filter(application=app).count() == 1
    assert ApplicationEvent.objects.filter(application=app, kind="submitted").count() == 1


def test_submit_with_bad_form_gives_field_errors_and_changes_nothing() -> None:
    app = draft(form={"phone": "123", "seats": 0})
    with pytest.raises(ValidationError) as exc:
        application_submit(user=app.applicant, application=app, submit_token=uuid.uuid4())
    assert set(exc.value.message_dict) == {"phone", "seats"}
    app.refresh_from_db()
    assert app.status == Status.DRAFT and app.workflow_state == "" and app.submit_token is None
    assert not WorkItem.objects.exists()


def test_someone_elses_draft_cannot_be_submitted() -> None:
    app = draft()
    with pytest.raises(PermissionDenied):
        application_submit(user=citizen(), application=app, submit_token=uuid.uuid4())


# --- staff


def test_two_step_happy_path_and_notifications(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from yiwang.notify.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        app = _submitted()
    officer = clerk()
    with django_capture_on_commit_callbacks(execute=True):
        app = _act(officer, app, "accept", "accept")
    assert app.status == Status.UNDER_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        app = _act(officer, app, "review", "approve")
    assert app.status == Status.APPROVED and app.end_event == "end_approved"
    assert not WorkItem.objects.filter(application=app, status=WorkItemStatus.OPEN).exists()
    kinds = list(app.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "step.accept", "step.approve", "result_issued", "decided"]
    # The approval's service task issued the business licence into the applicant's wallet.
    certificate = app.result_certificate
    assert certificate is not None and certificate.holder == app.applicant
    assert certificate.certificate_type.code == "individual_business_licence"
    assert certificate.data["business_name"] == GOOD_FORM["business_name"]
    assert certificate.issuer_department == app.implementation.department
    assert (
        AuditEntry.objects.filter(action="applications.task_complete", target_id=app.number).count()
        == 2
    )
    subjects = list(
        Message.objects.filter(recipient=app.applicant)
        .order_by("id")
        .values_list("subject", flat=True)
    )
    # Rendered in the applicant's language (Chinese by default).
    assert subjects == [
        f"办件 {app.number} 已收到",
        f"办件 {app.number} 已受理",
        "您有一份新证照",
        f"办件 {app.number}：办理结果",
    ]


def test_reject_and_not_accept_need_a_reason() -> None:
    app = _submitted()
    officer = clerk()
    item = _open(app, "accept")
    task_claim(user=officer, item_id=item.pk)
    with pytest.raises(ValidationError) as exc:
        task_complete(user=officer, item_id=item.pk, action="not_accept", reason="  ")
    assert exc.value.message_dict == {"reason": ["Give the reason for this decision."]}
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    app = task_complete(user=officer, item_id=item.pk, action="not_accept", reason="不属于本部门")
    assert app.status == Status.NOT_ACCEPTED and app.decision_reason == "不属于本部门"


def test_unknown_action_for_the_step_is_refused() -> None:
    app = _submitted()
    officer = clerk()
    item = _open(app, "accept")
    task_claim(user=officer, item_id=item.pk)
    with pytest.raises(ValidationError) as exc:
        task_complete(user=officer, item_id=item.pk, action="approve")
    assert exc.value.code == "unknown_action"


def test_acting_without_claiming_or_on_someone_elses_claim_is_refused() -> None:
    app = _submitted()
    first, second = clerk(), clerk()
    item = _open(app, "accept")
    with pytest.raises(ValidationError) as exc:
        task_complete(user=first, item_id=item.pk, action="accept")
    assert exc.value.code == "not_claimed"
    task_claim(user=first, item_id=item.pk)
    with pytest.raises(ValidationError) as exc:
        task_claim(user=second, item_id=item.pk)
    assert exc.value.code == "already_claimed"
    with pytest.raises(ValidationError) as exc:
        task_complete(user=second, item_id=item.pk, action="accept")
    assert exc.value.code == "already_claimed"
    assert _open(app, "accept").claimed_by == first


def test_other_regions_clerk_does_not_see_the_task() -> None:
    app = _submitted()
    item = _open(app, "accept")
    outsider = clerk(region_code="440104")
    with pytest.raises(Http404):
        task_claim(user=outsider, item_id=item.pk)
    other_line = StaffFactory(region_code="440106", department_kind="taxation")
    with pytest.raises(Http404):
        task_claim(user=other_line, item_id=item.pk)


def test_stale_page_acting_on_a_done_step_changes_nothing() -> None:
    app = _submitted()
    officer = clerk()
    item = _open(app, "accept")
    task_claim(user=officer, item_id=item.pk)
    task_complete(user=officer, item_id=item.pk, action="accept")
    app.refresh_from_db()
    state = app.workflow_state
    with pytest.raises(ValidationError) as exc:
        task_complete(user=officer, item_id=item.pk, action="accept")
    assert exc.value.code == "stale_task"
    app.refresh_from_db()
    assert app.workflow_state == state


def test_supplement_round_trip_lists_what_was_asked() -> None:
    app = _submitted()
    officer = clerk()
    app = _act(officer, app, "accept", "supplement", checklist=["营业执照复印件", " "])
    assert app.status == Status.SUPPLEMENT_REQUESTED
    event = app.events.get(kind="step.supplement")
    assert event.details["checklist"] == ["营业执照复印件"]
    with pytest.raises(ValidationError) as exc:
        application_supplement(user=app.applicant, application=app, form_data={"phone": "1"})
    assert "phone" in exc.value.message_dict
    app = application_supplement(
        user=app.applicant, application=app, form_data={**GOOD_FORM, "seats": 30}
    )
    assert app.status == Status.SUBMITTED and app.form_data["seats"] == 30
    assert _open(app, "accept")


def test_supplement_without_a_request_is_refused() -> None:
    app = _submitted()
    with pytest.raises(ValidationError) as exc:
        application_supplement(user=app.applicant, application=app, form_data=GOOD_FORM)
    assert exc.value.code == "no_supplement"


def test_supplement_request_needs_a_checklist() -> None:
    app = _submitted()
    officer = clerk()
    item = _open(app, "accept")
    task_claim(user=officer, item_id=item.pk)
    with pytest.raises(ValidationError) as exc:
        task_complete(user=officer, item_id=item.pk, action="supplement", checklist=[""])
    assert exc.value.message_dict == {"checklist": ["List what the applicant must supplement."]}


def test_parallel_item_goes_to_two_departments() -> None:
    app = _submitted(PARALLEL)
    officer = clerk()
    inspector = clerk(kind="health")
    app = _act(officer, app, "accept", "accept")
    assert _open(app, "inspect").department is not None
    assert _open(app, "inspect").department.kind == "health"
    with pytest.raises(Http404):
        task_claim(user=officer, item_id=_open(app, "inspect").pk)
    app = _act(inspector, app, "inspect", "complete")
    app = _act(officer, app, "review", "complete")
    app = _act(officer, app, "approve", "approve")
    assert app.status == Status.APPROVED


def test_instant_item_is_decided_by_the_dmn_table_and_recorded() -> None:
    app = _submitted(INSTANT)
    assert app.status == Status.APPROVED and app.end_event == "end_approved"
    decision = AutomatedDecision.objects.get(application=app)
    assert decision.decision_ref == "social_insurance_certificate_rules"
    assert decision.rule_id == "R3_approve" and decision.outcome == "approve"
    assert decision.inputs == {"applicant_in_province": True, "applicant_verified": True}
    assert decision.definition == app.definition and decision.definition.version == 1
    assert decision.reason == decision.reason_en  # English is active in these tests
    assert app.decision_reason == "您已完成实名认证，参保地在本省，证明已即时出具。"
    kinds = list(app.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "result_issued", "decided"]


def test_instant_item_rejects_with_the_matching_rule() -> None:
    from yiwang.accounts.tests.factories import CitizenFactory, chain_for

    outsider = CitizenFactory(region=chain_for("110101")[-1]).user
    app = _submitted(INSTANT, user=outsider)
    assert app.status == Status.REJECTED
    decision = AutomatedDecision.objects.get(application=app)
    assert decision.rule_id == "R2_other_province"
    assert decision.inputs == {"applicant_in_province": False, "applicant_verified": True}
    assert app.decision_reason.startswith("您的户籍地不在本省")


def test_withdraw_before_decision_only() -> None:
    app = _submitted()
    app = application_withdraw(user=app.applicant, application=app)
    assert app.status == Status.WITHDRAWN
    assert not WorkItem.objects.filter(application=app, status=WorkItemStatus.OPEN).exists()
    with pytest.raises(ValidationError) as exc:
        application_withdraw(user=app.applicant, application=app)
    assert exc.value.code == "cannot_withdraw"


def test_overdue_timer_fires_from_the_periodic_job(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from yiwang.notify.models import Message

    city_supervisor = StaffFactory(region_code="4401", roles=["supervisor"])
    StaffFactory(region_code="440104", roles=["supervisor"])  # a sibling district: not told
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False):
        app = _submitted(promised_limit_days=2)
        app = _act(clerk(), app, "accept", "accept")
        assert app.next_timer_at is not None
        assert application_timers_fire() == 0
    with (
        time_machine.travel(app.next_timer_at + dt.timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert application_timers_fire() == 1
        assert application_timers_fire() == 0  # idempotent: nothing left to fire
    app.refresh_from_db()
    assert app.status == Status.UNDER_REVIEW and app.next_timer_at is None
    assert app.events.filter(kind="overdue").count() == 1
    assert AuditEntry.objects.filter(action="applications.overdue").count() == 1
    told = set(
        Message.objects.filter(template="application_overdue_staff").values_list(
            "recipient", flat=True
        )
    )
    assert told == {city_supervisor.pk}
    assert (
        Message.objects.filter(recipient=app.applicant, template="application_overdue").count() == 1
    )


def test_appeal_opens_a_human_review_that_can_overturn_the_rule() -> None:
    from yiwang.accounts.tests.factories import CitizenFactory, chain_for
    from yiwang.applications.services import application_appeal

    outsider = CitizenFactory(region=chain_for("110101")[-1]).user
    app = _submitted(INSTANT, user=outsider)
    assert app.status == Status.REJECTED
    with pytest.raises(ValidationError) as exc:
        application_appeal(user=outsider, application=app, reason="  ")
    assert exc.value.message_dict == {"reason": ["Tell us why you think the decision is wrong."]}
    with pytest.raises(PermissionDenied):
        application_appeal(user=citizen(), application=app, reason="x")
    app = application_appeal(user=outsider, application=app, reason="我在广州参保")
    assert app.status == Status.UNDER_REVIEW
    with pytest.raises(ValidationError) as exc:
        application_appeal(user=outsider, application=app, reason="again")
    assert exc.value.code == "not_appealable"
    officer = clerk()  # the implementing department (market regulation, 440106, in tests)
    item = _open(app, "appeal_review")
    task_claim(user=officer, item_id=item.pk)
    with pytest.raises(ValidationError) as exc:
        task_complete(user=officer, item_id=item.pk, action="approve", reason="x")
    assert exc.value.code == "unknown_action"
    with pytest.raises(ValidationError) as exc:
        task_complete(user=officer, item_id=item.pk, action="overturn")
    assert "reason" in exc.value.message_dict
    app = task_complete(user=officer, item_id=item.pk, action="overturn", reason="核实在本市参保")
    assert app.status == Status.APPROVED and app.decision_reason == "核实在本市参保"
    decision = AutomatedDecision.objects.get(application=app)
    assert decision.overturned is True and decision.reviewed_by == officer
    assert list(app.events.values_list("kind", flat=True))[-2:] == ["appealed", "appeal.overturn"]


def test_a_clerks_decision_cannot_be_appealed() -> None:
    from yiwang.applications.services import application_appeal

    app = _submitted()
    app = _act(clerk(), app, "accept", "not_accept", reason="不属于本部门")
    with pytest.raises(ValidationError) as exc:
        application_appeal(user=app.applicant, application=app, reason="请复核")
    assert exc.value.code == "not_appealable"
