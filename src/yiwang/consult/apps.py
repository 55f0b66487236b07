import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "yiwang.consult"
    label = "consult"
    verbose_name = _("Consultation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yiwang.audit.models import audit_action_register
        from yiwang.consult.tasks import overdue_escalate
        from yiwang.core.periodic import periodic_job_register

        periodic_job_register(
            name="consult.overdue", every=dt.timedelta(minutes=10), task=overdue_escalate
        )
        for action, label in (
            ("consult.ask", _("Asked a question")),
            ("consult.hotline_intake", _("Recorded a 12345 hotline call")),
            ("consult.answer", _("Answered a question")),
            ("consult.transfer", _("Transferred a question to another department")),
            ("consult.publish", _("Published to the knowledge base")),
            ("consult.unpublish", _("Withdrew from the knowledge base")),
            ("consult.overdue", _("Escalated an overdue question")),
        ):
            audit_action_register(action=action, label=label)
