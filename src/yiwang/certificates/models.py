"""Signing keys, certificate types (with a bilingual template) and issued certificates."""

from __future__ import annotations

import string
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import EncryptedTextField


class SigningKey(models.Model):
    """An Ed25519 key. Exactly one is active (signs); retired keys stay published so that
    everything they signed keeps verifying."""

    kid = models.CharField(_("key id"), max_length=32, unique=True)
    public_key = models.CharField(_("public key"), max_length=64)
    private_key = EncryptedTextField(_("private key"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="one_active_signing_key",
            )
        ]

    def __str__(self) -> str:
        return self.kid


class CertificateType(models.Model):
    """证照类型. ``fields``: ``[{"key", "name", "name_en", "disclosed"}]`` — the data every
    certificate of this type carries; only ``disclosed`` ones go into the QR and are shown
    to verifiers. ``statement``/``statement_en``: the sentence printed on the certificate,
    with ``$key`` placeholders."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200)
    fields = models.JSONField(_("fields"), default=list)
    validity_days = models.PositiveIntegerField(
        _("default validity (days)"), null=True, blank=True, help_text=_("Empty: does not expire.")
    )
    statement = models.TextField(_("statement"), blank=True)
    statement_en = models.TextField(_("English statement"), blank=True)

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def field_keys(self) -> list[str]:
        return [f["key"] for f in self.fields]

    @property
    def disclosed_keys(self) -> list[str]:
        return [f["key"] for f in self.fields if f.get("disclosed")]

    def localized_name(self) -> str:
        return (
            self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name
        )

    def field_label(self, key: str) -> str:
        english = (get_language() or "").startswith("en")
        for f in self.fields:
            if f["key"] == key:
                return str(f.get("name_en") if english and f.get("name_en") else f["name"])
        return key

    def render_statement(self, data: dict[str, Any]) -> str:
        english = (get_language() or "").startswith("en")
        text = self.statement_en if english and self.statement_en else self.statement
        # safe_substitute: a template naming a field the data lacks prints the placeholder
        # instead of failing to render someone's certificate.
        return string.Template(text).safe_substitute({k: str(v) for k, v in data.items()})


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    """电子证照: one issued certificate with its two signed representations stored as issued."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    certificate_type = models.ForeignKey(
        CertificateType,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("type"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    issuer_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing department"),
    )
    # Snapshots: the certificate says who issued it where, even if the department changes.
    issuer_name = models.CharField(_("issuer"), max_length=200)
    issuer_region_code = models.CharField(_("issuer region code"), max_length=12, db_index=True)
    issuer_region_name = models.CharField(_("issuer region"), max_length=100)
    data = models.JSONField(_("data"), default=dict)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    signing_kid = models.CharField(_("key id"), max_length=32)
    vc_jwt = models.TextField(_("VC-JWT"))
    qr_payload = models.TextField(_("QR payload"))
    source_reference = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["holder", "-issued_at"], name="certificate_holder_recent")]
        constraints = [
            # An approval issues its certificate once, even if its service task runs again.
            models.UniqueConstraint(
                fields=["source_reference"],
                condition=models.Q(source_reference__startswith="application:"),
                name="certificate_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until <= timezone.now()

    def display_fields(self, *, disclosed_only: bool = False) -> list[tuple[str, str]]:
        keys = (
            self.certificate_type.disclosed_keys
            if disclosed_only
            else self.certificate_type.field_keys
        )
        return [(self.certificate_type.field_label(k), str(self.data.get(k, ""))) for k in keys]


class ShareLink(models.Model):
    """A one-time verification link the holder hands to someone: opened once, then spent."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="share_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return f"{self.certificate_id}:{self.token_hash[:8]}"
