"""Run workflows: start, list ready user tasks, complete one, fire timers, (de)serialise.

Every function works on an in-memory ``BpmnWorkflow``; the caller stores
``workflow_dump(wf)`` in the same transaction as its own change, so the application row
and its workflow state can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.defaults import UserTask as BpmnUserTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.camunda.specs.user_task import UserTask as CamundaUserTask
from SpiffWorkflow.util.task import TaskState

from yiwang.applications.engine.handlers import ServiceCall, service_handler
from yiwang.applications.engine.specs import TopicServiceTask, TopicServiceTaskConverter
from yiwang.core.workdays import working_days_add

MSG_STALE_TASK = _(
    "This step has already been dealt with or is no longer open. Reload the page to see "
    "where the application is now."
)

_config = dict(CAMUNDA_CONFIG)
_config[TopicServiceTask] = TopicServiceTaskConverter
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of ``day`` in the platform's time zone: a deadline day counts whole."""
    local = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_default_timezone())
    return local.astimezone(dt.UTC)


def workday_deadline(days: int) -> str:
    """ISO time at the end of the working day ``days`` working days from today (timers)."""
    today = timezone.localdate()
    return end_of_day(working_days_add(today, int(days))).isoformat()


class YiwangScriptEngine(PythonScriptEngine):
    """Evaluates gateway conditions and timer expressions; runs service tasks by topic."""

    def __init__(self, context: Any = None) -> None:
        super().__init__(environment=TaskDataEnvironment({"workday_deadline": workday_deadline}))
        self.context = context

    def service_call(self, topic: str, my_task: Any) -> None:
        spec = my_task.task_spec
        call = ServiceCall(
            bpmn_id=str(spec.bpmn_id), properties=dict(getattr(spec, "extensions", None) or {})
        )
        service_handler(topic)(self.context, my_task.data, call)


@dataclass(frozen=True)
class ReadyTask:
    id: str  # the Spiff task UUID: what a page posts back to act on this exact step
    bpmn_id: str
    name: str
    group: str


def _user_task_types() -> tuple[type, ...]:
    return (BpmnUserTask, CamundaUserTask)


def workflow_start(
    *, spec: BpmnProcessSpec, data: dict[str, Any], context: Any = None
) -> BpmnWorkflow:
    wf = BpmnWorkflow(spec, script_engine=YiwangScriptEngine(context))
    start = wf.get_tasks(state=TaskState.READY)[0]
    start.data.update(data)
    wf.do_engine_steps()
    return wf


def workflow_dump(wf: BpmnWorkflow) -> str:
    return str(SERIALIZER.serialize_json(wf))


def workflow_load(state: str, *, context: Any = None) -> BpmnWorkflow:
    wf: BpmnWorkflow = SERIALIZER.deserialize_json(state)
    wf.script_engine = YiwangScriptEngine(context)
    return wf


def ready_tasks(wf: BpmnWorkflow, user_tasks: dict[str, dict[str, Any]]) -> list[ReadyTask]:
    """Ready user tasks, with the candidate group the definition gave each one."""
    out = []
    for task in wf.get_tasks(state=TaskState.READY):
        if not isinstance(task.task_spec, _user_task_types()):
            continue
        spec: Any = task.task_spec
        out.append(
            ReadyTask(
                id=str(task.id),
                bpmn_id=spec.bpmn_id,
                name=spec.bpmn_name or spec.bpmn_id,
                group=str(user_tasks.get(spec.bpmn_id, {}).get("group", "")),
            )
        )
    return out


def task_complete(wf: BpmnWorkflow, *, task_id: str, data: dict[str, Any]) -> None:
    """Complete the ready user task ``task_id`` with ``data`` and step the engine on.

    A task id that is not ready (done already, or from an old page) raises a
    ``ValidationError`` and leaves the workflow untouched.
    """
    for task in wf.get_tasks(state=TaskState.READY):
        if str(task.id) == task_id and isinstance(task.task_spec, _user_task_types()):
            task.data.update(data)
            task.run()
            wf.do_engine_steps()
            return
    raise ValidationError(MSG_STALE_TASK, code="stale_task")


def timers_refresh(wf: BpmnWorkflow) -> bool:
    """Fire every timer that is due and step on; return whether anything moved."""
    before = {str(t.id) for t in wf.get_tasks(state=TaskState.COMPLETED)}
    wf.refresh_timers()
    wf.do_engine_steps()
    after = {str(t.id) for t in wf.get_tasks(state=TaskState.COMPLETED)}
    return after != before


def next_timer_at(wf: BpmnWorkflow) -> dt.datetime | None:
    """When the earliest waiting timer falls due (so the tick only loads what is due)."""
    times = []
    for event in wf.waiting_events():
        value = event.value
        if isinstance(value, str) and value:
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                continue
            times.append(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))
    return min(times) if times else None


def workflow_end_event(wf: BpmnWorkflow) -> str:
    """The bpmn id of the end event the workflow finished at ("" while running)."""
    if not wf.completed:
        return ""
    ends = [
        t
        for t in wf.get_tasks(state=TaskState.COMPLETED)
        if t.task_spec.__class__.__name__ == "EndEvent"
    ]
    ends.sort(key=lambda t: t.last_state_change)
    return str(ends[-1].task_spec.bpmn_id) if ends else ""
