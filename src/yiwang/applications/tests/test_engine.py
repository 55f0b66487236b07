"""The BPMN adapter on its own: validation, run, serialisation, working-day timers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from yiwang.applications.engine import runtime
from yiwang.applications.engine.definitions import process_parse
from yiwang.applications.tests.factories import INSTANT, PARALLEL, TWO_STEP, bpmn, dmn

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _codes(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [e.code or "" for e in exc.value.error_list]


def test_demo_processes_parse_with_their_steps() -> None:
    two = process_parse(bpmn(TWO_STEP))
    assert two.key == TWO_STEP
    assert two.user_tasks["accept"] == {
        "group": "implementing",
        "name": "受理",
        "actions": ["accept", "supplement", "not_accept"],
    }
    assert two.user_tasks["review"]["actions"] == ["approve", "reject", "return"]
    assert two.user_tasks["supplement"]["group"] == "applicant"
    par = process_parse(bpmn(PARALLEL))
    assert par.user_tasks["inspect"] == {
        "group": "health",
        "name": "现场核查",
        "actions": ["complete"],
    }
    assert process_parse(bpmn(INSTANT), dmn(INSTANT)).user_tasks == {}


def test_business_rule_task_without_its_decision_table_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        process_parse(bpmn(INSTANT))
    assert _codes(exc) == ["not_bpmn"]
    assert "social_insurance_certificate_rules" in str(exc.value)


def test_not_xml_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        process_parse("<bpmn:definitions")
    assert _codes(exc) == ["not_xml"]


def test_unknown_element_and_script_and_topic_are_refused() -> None:
    xml = bpmn(TWO_STEP).replace(
        '<bpmn:endEvent id="end_not_accepted" name="不予受理">',
        '<bpmn:callActivity id="call" calledElement="x" />'
        '<bpmn:scriptTask id="script"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>'
        '<bpmn:serviceTask id="svc" camunda:topic="shell.run" />'
        '<bpmn:endEvent id="end_not_accepted" name="不予受理">',
    )
    with pytest.raises(ValidationError) as exc:
        process_parse(xml)
    assert _codes(exc) == ["unknown_element", "script_not_allowed", "unknown_topic"]
    assert "callActivity (call)" in exc.value.error_list[0].message % exc.value.error_list[0].params


def test_allow_listed_script_passes_the_element_check(settings) -> None:  # type: ignore[no-untyped-def]
    settings.APPLICATIONS_SCRIPT_ALLOWLIST = ("x = 1",)
    xml = bpmn(TWO_STEP).replace(
        '<bpmn:endEvent id="end_not_accepted" name="不予受理">',
        '<bpmn:scriptTask id="script"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>'
        '<bpmn:endEvent id="end_not_accepted" name="不予受理">',
    )
    assert process_parse(xml).key == TWO_STEP
    settings.APPLICATIONS_SCRIPT_ALLOWLIST = ()
    with pytest.raises(ValidationError) as exc:
        process_parse(xml)
    assert _codes(exc) == ["script_not_allowed"]


def test_user_task_without_or_with_unknown_group_is_refused() -> None:
    xml = (
        bpmn(TWO_STEP)
        .replace('camunda:candidateGroups="applicant"', "")
        .replace(
            'id="review" name="审核" camunda:candidateGroups="implementing"',
            'id="review" name="审核" camunda:candidateGroups="police"',
        )
    )
    with pytest.raises(ValidationError) as exc:
        process_parse(xml)
    assert _codes(exc) == ["no_group", "unknown_group"]


def test_calendar_duration_timer_is_refused() -> None:
    xml = bpmn(TWO_STEP).replace(
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">application_deadline</bpmn:timeDate>',
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P3D"</bpmn:timeDuration>',
    )
    with pytest.raises(ValidationError) as exc:
        process_parse(xml)
    assert _codes(exc) == ["timer_duration"]


def test_two_processes_are_refused() -> None:
    xml = bpmn(TWO_STEP).replace(
        "<bpmndi:BPMNDiagram", '<bpmn:process id="other" isExecutable="true" /><bpmndi:BPMNDiagram'
    )
    with pytest.raises(ValidationError) as exc:
        process_parse(xml)
    assert _codes(exc) == ["one_process"]


def test_broken_flow_reference_is_refused_by_the_bpmn_parser() -> None:
    xml = bpmn(TWO_STEP).replace('targetRef="gw_review"', 'targetRef="nowhere"')
    with pytest.raises(ValidationError) as exc:
        process_parse(xml)
    assert _codes(exc) == ["not_bpmn"]


def _walk(key: str, deadline_days: int = 5) -> tuple[object, dict]:
    parsed = process_parse(bpmn(key))
    wf = runtime.workflow_start(
        spec=parsed.spec, data={"application_deadline": runtime.workday_deadline(deadline_days)}
    )
    return wf, parsed.user_tasks


def _ready(wf: object, tasks: dict) -> list[str]:
    return sorted(t.bpmn_id for t in runtime.ready_tasks(wf, tasks))


def _do(wf: object, tasks: dict, bpmn_id: str, decision: str) -> None:
    task = next(t for t in runtime.ready_tasks(wf, tasks) if t.bpmn_id == bpmn_id)
    runtime.task_complete(wf, task_id=task.id, data={"decision": decision})


def test_two_step_with_supplement_loop_round_trips_through_json() -> None:
    wf, tasks = _walk(TWO_STEP)
    assert _ready(wf, tasks) == ["accept"]
    _do(wf, tasks, "accept", "supplement")
    wf = runtime.workflow_load(runtime.workflow_dump(wf))
    assert _ready(wf, tasks) == ["supplement"]
    _do(wf, tasks, "supplement", "")
    assert _ready(wf, tasks) == ["accept"]
    _do(wf, tasks, "accept", "accept")
    wf = runtime.workflow_load(runtime.workflow_dump(wf))
    assert _ready(wf, tasks) == ["review"]
    calls: list[tuple[str, dict[str, str]]] = []
    wf.script_engine.service_call = lambda topic, task: calls.append(  # type: ignore[method-assign]
        (topic, task.task_spec.extensions)
    )
    _do(wf, tasks, "review", "approve")
    assert wf.completed
    assert runtime.workflow_end_event(wf) == "end_approved"
    # The certificate type the process names survived the JSON round trip.
    assert calls == [
        ("applications.issue_result", {"certificate_type": "individual_business_licence"})
    ]


def test_parallel_steps_join_before_approval() -> None:
    wf, tasks = _walk(PARALLEL)
    _do(wf, tasks, "accept", "accept")
    assert _ready(wf, tasks) == ["inspect", "review"]
    _do(wf, tasks, "inspect", "complete")
    assert _ready(wf, tasks) == ["review"]
    _do(wf, tasks, "review", "complete")
    assert _ready(wf, tasks) == ["approve"]
    _do(wf, tasks, "approve", "reject")
    assert runtime.workflow_end_event(wf) == "end_rejected"


def test_certificate_type_must_be_known_and_issued_by_the_issue_topic() -> None:
    unknown = bpmn(TWO_STEP).replace(
        'value="individual_business_licence"', 'value="driving_licence"'
    )
    with pytest.raises(ValidationError) as exc:
        process_parse(unknown)
    assert _codes(exc) == ["unknown_certificate_type"]
    assert "driving_licence" in str(
        exc.value.error_list[0].message % exc.value.error_list[0].params
    )
    wrong_topic = bpmn(PARALLEL).replace(
        'id="issue" name="核发许可证" camunda:type="external" '
        'camunda:topic="applications.issue_result"',
        'id="issue" name="核发许可证" camunda:type="external" '
        'camunda:topic="applications.escalate"',
    )
    with pytest.raises(ValidationError) as exc:
        process_parse(wrong_topic)
    assert _codes(exc) == ["certificate_topic"]


def test_a_type_without_a_mapping_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from yiwang.applications import certificate_data

    monkeypatch.delitem(certificate_data.CERTIFICATE_FIELDS, "food_business_licence")
    with pytest.raises(ValidationError) as exc:
        process_parse(bpmn(PARALLEL))
    assert _codes(exc) == ["unknown_certificate_type"]


def test_completing_a_task_that_is_not_ready_changes_nothing() -> None:
    wf, tasks = _walk(TWO_STEP)
    old = runtime.ready_tasks(wf, tasks)[0].id
    _do(wf, tasks, "accept", "accept")
    before = runtime.workflow_dump(wf)
    with pytest.raises(ValidationError) as exc:
        runtime.task_complete(wf, task_id=old, data={"decision": "not_accept"})
    assert _codes(exc) == ["stale_task"]
    assert runtime.workflow_dump(wf) == before


@time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_timer_counts_working_days_across_national_day() -> None:
    # 2026-09-30 + 2 working days skips the 国庆 holiday (1–7 Oct): due at the end of 9 Oct
    # if the 8th is a working day, so nothing fires during the holiday week.
    wf, tasks = _walk(TWO_STEP, deadline_days=2)
    _do(wf, tasks, "accept", "accept")
    due = runtime.next_timer_at(wf)
    assert due is not None
    from yiwang.core.workdays import working_days_add

    expected_day = working_days_add(dt.date(2026, 9, 30), 2)
    assert expected_day > dt.date(2026, 10, 7)
    assert due == runtime.end_of_day(expected_day)
    with time_machine.travel(dt.datetime(2026, 10, 7, 12, 0, tzinfo=SHANGHAI), tick=False):
        assert runtime.timers_refresh(wf) is False
    with time_machine.travel(due + dt.timedelta(seconds=2), tick=False):
        escalated: list[object] = []
        wf.script_engine.service_call = lambda topic, task: escalated.append(topic)  # type: ignore[method-assign]
        assert runtime.timers_refresh(wf) is True
    assert escalated == ["applications.escalate"]
    # The timer is non-interrupting: the review is still waiting for the clerk.
    assert _ready(wf, tasks) == ["review"]
    assert runtime.next_timer_at(wf) is None
