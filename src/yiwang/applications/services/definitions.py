"""Installing BPMN process definitions (platform admins only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from yiwang.accounts.models import Role
from yiwang.accounts.selectors import staff_profile
from yiwang.applications.engine.definitions import (
    process_parse,
)
from yiwang.applications.models import (
    ProcessDefinition,
)
from yiwang.applications.services._common import (
    MSG_NOT_PLATFORM_ADMIN,
)
from yiwang.audit.services import audit_log


@transaction.atomic
def process_definition_install(
    *, actor: Any, bpmn_xml: str, dmn_xml: str = ""
) -> ProcessDefinition:
    """Validate and install ``bpmn_xml`` as the next version of its process key.

    Installing the same file again returns the version already installed.
    """
    staff = staff_profile(actor)
    if staff is None or not staff.has_role(Role.PLATFORM_ADMIN):
        raise PermissionDenied(MSG_NOT_PLATFORM_ADMIN)
    parsed = process_parse(bpmn_xml, dmn_xml)
    existing = ProcessDefinition.objects.filter(key=parsed.key, sha256=parsed.sha256).first()
    if existing is not None:
        return existing
    last = (
        ProcessDefinition.objects.select_for_update()
        .filter(Q(key=parsed.key) | Q(key__startswith=f"{parsed.key}@"))  # the whole family
        .order_by("-version")
        .first()
    )
    definition = ProcessDefinition.objects.create(
        key=parsed.key,
        version=(last.version + 1) if last else 1,
        name=parsed.name,
        bpmn_xml=bpmn_xml,
        dmn_xml=dmn_xml,
        sha256=parsed.sha256,
        user_tasks=parsed.user_tasks,
        installed_by=actor,
    )
    audit_log(
        actor=actor,
        action="applications.process_install",
        target_type="process_definition",
        target_id=str(definition.pk),
        details={"key": definition.key, "version": definition.version, "sha256": parsed.sha256},
    )
    return definition


def process_definition_latest(key: str) -> ProcessDefinition | None:
    return ProcessDefinition.objects.filter(key=key).order_by("-version").first()
