from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "yiwang.certificates"
    label = "certificates"
    verbose_name = _("Electronic certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yiwang.audit.models import audit_action_register

        audit_action_register(action="certificates.issue", label=_("Issued a certificate"))
        audit_action_register(action="certificates.revoke", label=_("Revoked a certificate"))
        audit_action_register(action="certificates.key_rotate", label=_("Rotated the signing key"))
