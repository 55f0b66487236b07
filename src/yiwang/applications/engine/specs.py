"""Our one custom task type: a Camunda 7 external service task, run in-process by topic.

In a Camunda model a service task reads ``camunda:type="external" camunda:topic="..."``.
Instead of waiting for an external worker, the engine looks the topic up in
``yiwang.applications.engine.handlers`` and runs it while it steps the workflow, so the
handler's effect commits in the same transaction as the step that reached it.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter
from SpiffWorkflow.bpmn.specs.mixins.bpmn_spec_mixin import BpmnSpecMixin
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"


class TopicServiceTask(BpmnSpecMixin):
    """A service task that calls the handler registered for ``topic``."""

    def __init__(self, wf_spec: Any, bpmn_id: str, topic: str, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.topic = topic

    def _run_hook(self, my_task: Any) -> bool:
        # The script engine carries the run context (see runtime.YiwangScriptEngine).
        my_task.workflow.script_engine.service_call(self.topic, my_task)
        return True


class TopicServiceTaskParser(CamundaTaskParser):
    def create_task(self) -> TopicServiceTask:
        topic = self.node.get(f"{{{CAMUNDA_NS}}}topic", "")
        return TopicServiceTask(self.spec, self.bpmn_id, topic=topic, **self.bpmn_attributes)


class TopicServiceTaskConverter(BpmnTaskSpecConverter):
    def to_dict(self, spec: TopicServiceTask) -> dict[str, Any]:
        dct: dict[str, Any] = self.get_default_attributes(spec)
        dct["topic"] = spec.topic
        return dct
