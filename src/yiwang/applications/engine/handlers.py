"""Service-task handlers by topic. Apps register theirs in ``AppConfig.ready()``.

A handler receives the run context (whatever the caller passed to ``workflow_run``,
normally the Application), the task's data dict (updated in place) and a ``ServiceCall``
naming the task and its Camunda extension properties (``<camunda:properties>`` on the
service task, e.g. ``certificate_type``); it runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ServiceCall:
    bpmn_id: str
    properties: dict[str, str] = field(default_factory=dict)


ServiceHandler = Callable[[Any, dict[str, Any], ServiceCall], None]

_handlers: dict[str, ServiceHandler] = {}


def service_handler_register(*, topic: str, handler: ServiceHandler) -> None:
    _handlers[topic] = handler


def service_handler(topic: str) -> ServiceHandler:
    return _handlers[topic]


def service_topics() -> set[str]:
    return set(_handlers)
