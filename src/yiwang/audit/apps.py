import datetime as dt

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yiwang.audit"
    label = "audit"

    def ready(self) -> None:
        from yiwang.audit.tasks import audit_chain_check
        from yiwang.core.periodic import periodic_job_register

        periodic_job_register(
            name="audit.chain_check", every=dt.timedelta(days=1), task=audit_chain_check
        )
