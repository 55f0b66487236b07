"""Service-task handlers by topic. Apps register theirs in ``AppConfig.ready()``.

A handler receives the run context (whatever the caller passed to ``workflow_run``,
normally the Application) and the task's data dict, and updates the data in place; it runs
inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ServiceHandler = Callable[[Any, dict[str, Any]], None]

_handlers: dict[str, ServiceHandler] = {}


def service_handler_register(*, topic: str, handler: ServiceHandler) -> None:
    _handlers[topic] = handler


def service_handler(topic: str) -> ServiceHandler:
    return _handlers[topic]


def service_topics() -> set[str]:
    return set(_handlers)
