import datetime as dt

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yiwang.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from yiwang.core.periodic import periodic_job_register
        from yiwang.core.tasks import core_housekeeping

        periodic_job_register(
            name="core.housekeeping", every=dt.timedelta(hours=1), task=core_housekeeping
        )
