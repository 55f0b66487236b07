from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "yiwang.applications"
    label = "applications"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yiwang.applications.handlers import handlers_register
        from yiwang.applications.tasks import applications_timers
        from yiwang.core.periodic import periodic_job_register

        handlers_register()
        periodic_job_register(
            name="applications.timers", every=timedelta(minutes=1), task=applications_timers
        )
