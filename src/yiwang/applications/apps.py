from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "applications.process_install": _("Process definition installed"),
    "applications.submit": _("Application submitted"),
    "applications.withdraw": _("Application withdrawn"),
    "applications.supplement": _("Application supplemented"),
    "applications.task_claim": _("Application task taken"),
    "applications.task_complete": _("Application step decided"),
    "applications.overdue": _("Application overdue"),
    "applications.appeal": _("Automated decision appealed"),
    "applications.comment": _("Internal note on an application"),
    "applications.certificate_offered": _("E-certificate offered instead of a material"),
}


class ApplicationsConfig(AppConfig):
    name = "yiwang.applications"
    label = "applications"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yiwang.applications.handlers import handlers_register
        from yiwang.applications.tasks import applications_timers
        from yiwang.audit.models import audit_action_register
        from yiwang.core.periodic import periodic_job_register

        handlers_register()
        for action, label in AUDIT_ACTIONS.items():
            audit_action_register(action=action, label=label)
        periodic_job_register(
            name="applications.timers", every=timedelta(minutes=1), task=applications_timers
        )
        # Decision tables (决策表): edits and their sign-off.
        for action, label in {
            "applications.rules_drafted": _("Decision table draft saved"),
            "applications.rules_submitted": _("Decision table submitted for review"),
            "applications.rules_approved": _("Decision table approved"),
            "applications.rules_rejected": _("Decision table rejected"),
            "applications.rules_published": _("Decision table published"),
            "applications.rules_discarded": _("Decision table draft discarded"),
        }.items():
            audit_action_register(action=action, label=label)
