import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "yiwang.reviews"
    label = "reviews"
    verbose_name = _("Service evaluation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yiwang.audit.models import audit_action_register
        from yiwang.core.periodic import periodic_job_register
        from yiwang.reviews.tasks import overdue_escalate

        periodic_job_register(
            name="reviews.overdue", every=dt.timedelta(hours=1), task=overdue_escalate
        )
        audit_action_register(
            action="reviews.callback", label=_("Recorded a callback to a reviewer")
        )
        audit_action_register(action="reviews.result", label=_("Recorded a rectification result"))
        audit_action_register(
            action="reviews.feedback", label=_("Said whether a rectification result satisfies")
        )
        audit_action_register(action="reviews.appeal", label=_("Appealed against a rating"))
        audit_action_register(action="reviews.appeal_decide", label=_("Decided an appeal"))
        audit_action_register(
            action="reviews.overdue", label=_("A rectification order passed its deadline")
        )
