"""Use cases that change applications. Each one commits the application row, its workflow
state, its work items, its timeline and its audit entries together, or nothing."""

from yiwang.applications.services.appeals import application_appeal
from yiwang.applications.services.citizen import (
    application_draft_save,
    application_submit,
    application_supplement,
    application_withdraw,
)
from yiwang.applications.services.definitions import (
    process_definition_install,
    process_definition_latest,
)
from yiwang.applications.services.reuse import application_material_certificate_link
from yiwang.applications.services.staff import task_claim, task_comment, task_complete
from yiwang.applications.services.timers import application_timers_fire

__all__ = [
    "application_appeal",
    "application_draft_save",
    "application_material_certificate_link",
    "application_submit",
    "application_supplement",
    "application_timers_fire",
    "application_withdraw",
    "process_definition_install",
    "process_definition_latest",
    "task_claim",
    "task_comment",
    "task_complete",
]
