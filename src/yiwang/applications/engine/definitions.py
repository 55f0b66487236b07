"""Validate and parse an uploaded BPMN 2.0 file (Camunda 7 style).

Installing a process runs its gateway conditions and timer expressions as Python inside
the platform, so only platform admins may install one (checked in services), and the file
is refused unless every element is one we know how to run safely.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator, full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.exceptions import SpiffWorkflowException

from yiwang.applications.engine.handlers import service_topics
from yiwang.applications.engine.specs import (
    CAMUNDA_NS,
    TopicServiceTask,
    TopicServiceTaskParser,
)

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"

MSG_NOT_XML = _("The file is not valid XML: %(error)s")
MSG_NOT_BPMN = _("The file is not a valid BPMN 2.0 definition: %(error)s")
MSG_ONE_PROCESS = _("The file must contain exactly one executable process (it has %(count)s).")
MSG_UNKNOWN_ELEMENT = _("Element %(element)s (%(id)s) is not supported by this platform.")
MSG_SCRIPT_NOT_ALLOWED = _(
    "Script task %(id)s runs code that is not on the platform's allow-list of scripts."
)
MSG_UNKNOWN_TOPIC = _("Service task %(id)s calls an unknown topic “%(topic)s”.")
MSG_UNKNOWN_CERTIFICATE_TYPE = _(
    "Service task %(id)s issues certificate type “%(type)s”, which this platform does not "
    "know (or cannot fill in)."
)
MSG_CERTIFICATE_TOPIC = _(
    "Service task %(id)s names a certificate type but does not call the topic "
    "“applications.issue_result”."
)
MSG_NO_GROUP = _(
    "User task %(id)s needs camunda:candidateGroups: “applicant”, “implementing” or a "
    "department kind."
)
MSG_UNKNOWN_GROUP = _("User task %(id)s names an unknown candidate group “%(group)s”.")
MSG_TIMER_DURATION = _(
    "Timer %(id)s uses a calendar duration; use timeDate with application_deadline or "
    "workday_deadline(n) so that time limits count working days."
)

# The Camunda extension property on a service task that says which e-certificate its
# result is: <camunda:properties><camunda:property name="certificate_type" value="..."/>.
CERTIFICATE_PROPERTY = "certificate_type"
ISSUE_TOPIC = "applications.issue_result"

# Flow elements the engine runs. Anything else (call activities, message flows, data
# stores, sub-processes...) is refused rather than half-supported.
SUPPORTED = {
    "startEvent",
    "endEvent",
    "userTask",
    "serviceTask",
    "businessRuleTask",
    "scriptTask",
    "exclusiveGateway",
    "parallelGateway",
    "boundaryEvent",
    "sequenceFlow",
    "laneSet",
    "textAnnotation",
    "association",
    "documentation",
    "extensionElements",
}
EVENT_DEFINITIONS_ALLOWED = {"timerEventDefinition"}
GROUP_APPLICANT = "applicant"
GROUP_IMPLEMENTING = "implementing"


def _department_kinds() -> set[str]:
    from yiwang.accounts.models import DepartmentKind

    return set(DepartmentKind.values)


@dataclass
class ParsedProcess:
    key: str
    name: str
    sha256: str
    spec: BpmnProcessSpec
    # bpmn id of each user task -> {"group", "name", "actions"}: the decisions the
    # exclusive gateway after it tests (``decision == "approve"``), or ["complete"].
    user_tasks: dict[str, dict[str, Any]] = field(default_factory=dict)


class YiwangParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("serviceTask"): (TopicServiceTaskParser, TopicServiceTask),
    }


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _error(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _check_task(node: Any, name: str, node_id: str) -> tuple[list[ValidationError], str]:
    """Problems with one task element, and the user task's candidate group."""
    if name == "scriptTask":
        allowed = set(getattr(settings, "APPLICATIONS_SCRIPT_ALLOWLIST", ()))
        script = (node.findtext(f"{{{BPMN_NS}}}script") or "").strip()
        if script not in allowed:
            return [_error(MSG_SCRIPT_NOT_ALLOWED, "script_not_allowed", id=node_id)], ""
    elif name == "serviceTask":
        topic = node.get(f"{{{CAMUNDA_NS}}}topic", "")
        if topic not in service_topics():
            return [_error(MSG_UNKNOWN_TOPIC, "unknown_topic", id=node_id, topic=topic)], ""
        return _check_certificate_type(node, node_id, topic), ""
    elif name == "userTask":
        group = node.get(f"{{{CAMUNDA_NS}}}candidateGroups", "").strip()
        if not group:
            return [_error(MSG_NO_GROUP, "no_group", id=node_id)], ""
        if group not in {GROUP_APPLICANT, GROUP_IMPLEMENTING} | _department_kinds():
            return [_error(MSG_UNKNOWN_GROUP, "unknown_group", id=node_id, group=group)], ""
        return [], group
    return [], ""


def service_task_properties(node: Any) -> dict[str, str]:
    """The ``camunda:property`` name/value pairs of a task element."""
    path = f"{{{BPMN_NS}}}extensionElements/{{{CAMUNDA_NS}}}properties/{{{CAMUNDA_NS}}}property"
    return {str(p.get("name", "")): str(p.get("value", "")) for p in node.findall(path)}


def _check_certificate_type(node: Any, node_id: str, topic: str) -> list[ValidationError]:
    from yiwang.applications.certificate_data import certificate_type_issuable

    code = service_task_properties(node).get(CERTIFICATE_PROPERTY)
    if code is None:
        return []
    if topic != ISSUE_TOPIC:
        return [_error(MSG_CERTIFICATE_TOPIC, "certificate_topic", id=node_id)]
    if not certificate_type_issuable(code):
        return [
            _error(MSG_UNKNOWN_CERTIFICATE_TYPE, "unknown_certificate_type", id=node_id, type=code)
        ]
    return []


def _check_event_definitions(node: Any, node_id: str) -> list[ValidationError]:
    errors = []
    for child in node:
        child_name = _local(child.tag)
        if not child_name.endswith("EventDefinition"):
            continue
        if child_name not in EVENT_DEFINITIONS_ALLOWED:
            errors.append(
                _error(MSG_UNKNOWN_ELEMENT, "unknown_element", element=child_name, id=node_id)
            )
        elif child.find(f"{{{BPMN_NS}}}timeDate") is None:
            # Calendar durations would ignore weekends and holidays: refuse them.
            errors.append(_error(MSG_TIMER_DURATION, "timer_duration", id=node_id))
    return errors


def _check_elements(process: Any, errors: list[ValidationError]) -> dict[str, str]:
    groups: dict[str, str] = {}
    for node in process:
        if etree.QName(node.tag).namespace != BPMN_NS:
            continue
        name = _local(node.tag)
        node_id = node.get("id", "?")
        if name not in SUPPORTED:
            errors.append(_error(MSG_UNKNOWN_ELEMENT, "unknown_element", element=name, id=node_id))
            continue
        task_errors, group = _check_task(node, name, node_id)
        errors += task_errors
        if group:
            groups[node_id] = group
        errors += _check_event_definitions(node, node_id)
    return groups


def process_parse(bpmn_xml: str, dmn_xml: str = "") -> ParsedProcess:
    """Parse and validate ``bpmn_xml`` (with the DMN decision tables its business rule
    tasks use, if any); raise one ``ValidationError`` listing every problem."""
    raw = bpmn_xml.encode()
    try:
        root = etree.fromstring(
            raw, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        raise ValidationError(MSG_NOT_XML, code="not_xml", params={"error": str(exc)}) from exc
    processes = [
        p for p in root.findall(f"{{{BPMN_NS}}}process") if p.get("isExecutable") == "true"
    ]
    if len(processes) != 1:
        raise ValidationError(MSG_ONE_PROCESS, code="one_process", params={"count": len(processes)})
    errors: list[ValidationError] = []
    groups = _check_elements(processes[0], errors)
    if errors:
        raise ValidationError(errors)
    key = processes[0].get("id", "")
    parser = YiwangParser(validator=BpmnValidator())
    try:
        parser.add_bpmn_xml(root, filename=f"{key}.bpmn")
        if dmn_xml:
            parser.add_dmn_str(dmn_xml.encode(), filename=f"{key}.dmn")
        spec = parser.get_spec(key)
    except (ValidationException, SpiffWorkflowException, etree.LxmlError) as exc:
        raise ValidationError(MSG_NOT_BPMN, code="not_bpmn", params={"error": str(exc)}) from exc
    return ParsedProcess(
        key=key,
        name=processes[0].get("name", "") or key,
        sha256=hashlib.sha256(raw + b"\0" + dmn_xml.encode()).hexdigest(),
        spec=spec,
        user_tasks=_user_tasks(processes[0], groups),
    )


DECISION_RE = re.compile(r"""decision\s*==\s*["']([a-z_]+)["']""")


def _user_tasks(process: Any, groups: dict[str, str]) -> dict[str, dict[str, Any]]:
    flows = process.findall(f"{{{BPMN_NS}}}sequenceFlow")
    gateways = {g.get("id") for g in process.findall(f"{{{BPMN_NS}}}exclusiveGateway")}
    out: dict[str, dict[str, Any]] = {}
    for node in process.findall(f"{{{BPMN_NS}}}userTask"):
        node_id = node.get("id", "")
        actions: list[str] = []
        for flow in flows:
            if flow.get("sourceRef") != node_id or flow.get("targetRef") not in gateways:
                continue
            for out_flow in flows:
                if out_flow.get("sourceRef") == flow.get("targetRef"):
                    text = out_flow.findtext(f"{{{BPMN_NS}}}conditionExpression") or ""
                    actions += DECISION_RE.findall(text)
        out[node_id] = {
            "group": groups[node_id],
            "name": node.get("name", "") or node_id,
            "actions": actions or ["complete"],
        }
    return out


def decision_ids(dmn_xml: str) -> list[str]:
    """The ids of the decisions in a DMN file (recorded with each automated decision)."""
    if not dmn_xml:
        return []
    root = etree.fromstring(
        dmn_xml.encode(), parser=etree.XMLParser(resolve_entities=False, no_network=True)
    )
    return [str(node.get("id")) for node in root if _local(node.tag) == "decision"]
