import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallsConfig(AppConfig):
    name = "yiwang.halls"
    label = "halls"
    verbose_name = _("Halls and appointments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yiwang.audit.models import audit_action_register
        from yiwang.core.periodic import periodic_job_register
        from yiwang.halls.tasks import no_shows_mark, slots_generate

        periodic_job_register(name="halls.slots", every=dt.timedelta(hours=1), task=slots_generate)
        periodic_job_register(
            name="halls.no_shows", every=dt.timedelta(minutes=10), task=no_shows_mark
        )
        audit_action_register(action="halls.check_in", label=_("Checked a booking in at a hall"))
        audit_action_register(action="halls.queue_call", label=_("Called a queue number"))
        audit_action_register(action="halls.queue_served", label=_("Marked a queue number served"))
        audit_action_register(
            action="halls.queue_transfer", label=_("Transferred a queue number to another window")
        )
