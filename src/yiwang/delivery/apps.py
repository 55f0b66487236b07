import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "yiwang.delivery"
    label = "delivery"
    verbose_name = _("Postal delivery")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from yiwang.audit.models import audit_action_register
        from yiwang.core.periodic import periodic_job_register
        from yiwang.delivery.checks import carrier_check
        from yiwang.delivery.tasks import orders_track

        periodic_job_register(
            name="delivery.track", every=dt.timedelta(minutes=10), task=orders_track
        )
        checks.register(carrier_check, "delivery")
        audit_action_register(action="delivery.ship", label=_("Shipped a parcel"))
        audit_action_register(action="delivery.status", label=_("Recorded a parcel's status"))
        audit_action_register(action="delivery.labels", label=_("Printed postal labels"))
        audit_action_register(action="delivery.resend", label=_("Resent a returned parcel"))
