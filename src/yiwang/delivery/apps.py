from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "yiwang.delivery"
    label = "delivery"
    verbose_name = _("Postal delivery")
    default_auto_field = "django.db.models.BigAutoField"
