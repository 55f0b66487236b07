from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "yiwang.consult"
    label = "consult"
    verbose_name = _("Consultation")
    default_auto_field = "django.db.models.BigAutoField"
