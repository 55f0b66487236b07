import datetime as dt

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "yiwang.notify"
    label = "notify"

    def ready(self) -> None:
        from yiwang.core.periodic import periodic_job_register
        from yiwang.notify.tasks import deliveries_retry

        periodic_job_register(
            name="notify.retry_failed", every=dt.timedelta(minutes=1), task=deliveries_retry
        )
