"""Issuing and revoking certificates, and one-time share links."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Department, StaffProfile, User
from yiwang.accounts.selectors import region_scope_q
from yiwang.audit.services import audit_log
from yiwang.certificates.models import Certificate, CertificateStatus, CertificateType, ShareLink
from yiwang.certificates.signing.jws import jws_sign
from yiwang.certificates.signing.qr import QrClaims, qr_encode
from yiwang.certificates.signing.services import signing_key_active
from yiwang.notify.services import notification_send

MSG_UNKNOWN_TYPE = _("There is no certificate type with this code.")
MSG_MISSING_FIELDS = _("The certificate data lacks required fields: %(fields)s.")
MSG_NOT_CITIZEN = _("Certificates are issued to citizens only.")
MSG_BAD_VALIDITY = _("The end of validity must be after the date of issue.")
MSG_REASON_REQUIRED = _("Give the reason for revoking the certificate.")
MSG_ALREADY_REVOKED = _("This certificate is already revoked.")
MSG_SHARE_REVOKED = _("A revoked certificate cannot be shared.")
MSG_SHARE_HOURS = _("A share link lasts between 1 and 168 hours.")

VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
SHARE_MAX_HOURS = 168


def _number(issued_at: dt.datetime, region_code: str) -> str:
    # Region + date + random: unguessable (a number alone must not let anyone enumerate
    # certificates) and readable on paper.
    return f"{region_code[:6]}{issued_at:%Y%m%d}{secrets.token_hex(4).upper()}"


def _public_url() -> str:
    # The address verifiers reach; only names things inside the credential, never fetched.
    return str(getattr(settings, "PUBLIC_URL", "https://yiwang.localhost")).rstrip("/")


def _vc_payload(certificate: Certificate) -> dict[str, Any]:
    ctype = certificate.certificate_type
    issuer = f"{_public_url()}/departments/{certificate.issuer_department_id}"
    payload: dict[str, Any] = {
        "iss": issuer,
        "sub": f"urn:yiwang:holder:{certificate.holder_id}",
        "jti": f"urn:yiwang:certificate:{certificate.number}",
        "nbf": int(certificate.issued_at.timestamp()),
        "iat": int(certificate.issued_at.timestamp()),
        "vc": {
            "@context": [VC_CONTEXT],
            "type": ["VerifiableCredential", "YiwangCertificate"],
            "issuer": {"id": issuer, "name": certificate.issuer_name},
            "issuanceDate": certificate.issued_at.isoformat(),
            "credentialSubject": {
                "id": f"urn:yiwang:holder:{certificate.holder_id}",
                "certificateType": ctype.code,
                "certificateNumber": certificate.number,
                **certificate.data,
            },
            "credentialStatus": {
                "id": f"{_public_url()}/.well-known/revocations.json#{certificate.number}",
                "type": "YiwangRevocationList",
            },
        },
    }
    if certificate.valid_until is not None:
        payload["exp"] = int(certificate.valid_until.timestamp())
        payload["vc"]["expirationDate"] = certificate.valid_until.isoformat()
    return payload


@transaction.atomic
def certificate_issue(
    *,
    certificate_type_code: str,
    holder: User,
    issuer_department: Department,
    data: dict[str, Any],
    valid_until: dt.datetime | None = None,
    source_reference: str = "",
) -> Certificate:
    ctype = CertificateType.objects.filter(code=certificate_type_code).first()
    if ctype is None:
        raise ValidationError(MSG_UNKNOWN_TYPE, code="unknown_type")
    if not getattr(holder, "is_citizen", False):
        raise ValidationError(MSG_NOT_CITIZEN, code="not_citizen")
    missing = [k for k in ctype.field_keys if not str(data.get(k, "")).strip()]
    if missing:
        raise ValidationError(
            MSG_MISSING_FIELDS, code="missing_fields", params={"fields": ", ".join(missing)}
        )
    now = timezone.now()
    if valid_until is None and ctype.validity_days:
        valid_until = now + dt.timedelta(days=ctype.validity_days)
    if valid_until is not None and valid_until <= now:
        raise ValidationError(MSG_BAD_VALIDITY, code="bad_validity")
    region = issuer_department.region
    kid, key = signing_key_active()
    certificate = Certificate(
        number=_number(now, region.code),
        certificate_type=ctype,
        holder=holder,
        issuer_department=issuer_department,
        issuer_name=issuer_department.name,
        issuer_region_code=region.code,
        issuer_region_name=region.name,
        data={k: str(data[k]) for k in ctype.field_keys},
        issued_at=now,
        valid_until=valid_until,
        signing_kid=kid,
        source_reference=source_reference,
    )
    certificate.vc_jwt = jws_sign(payload=_vc_payload(certificate), key=key, kid=kid)
    claims = QrClaims(
        number=certificate.number,
        type_code=ctype.code,
        type_name=ctype.name,
        issuer=certificate.issuer_name,
        region_code=region.code,
        issued_at=now,
        valid_until=valid_until,
        fields={k: certificate.data[k] for k in ctype.disclosed_keys},
    )
    certificate.qr_payload = qr_encode(claims=claims, key=key, kid=kid)
    certificate.save()
    audit_log(
        actor=None,
        action="certificates.issue",
        target_type="certificate",
        target_id=certificate.number,
        region_code=region.code,
        subject=holder,
        details={"type": ctype.code, "source": source_reference},
    )
    _notify(certificate, "certificates_issued")
    return certificate


def _notify(certificate: Certificate, template: str) -> None:
    ctype = certificate.certificate_type
    notification_send(
        user=certificate.holder,
        template=template,
        context={
            "type_zh": ctype.name, "type_en": ctype.name_en, "number": certificate.number,
            "issuer": certificate.issuer_name, "reason": certificate.revocation_reason,
            "link_url": reverse("certificates:detail", args=[certificate.number]),
        },
    )  # fmt: skip


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Only staff of the issuing department, inside their region, may revoke; anyone else
    gets ``PermissionDenied`` (pages and the API answer 404, so existence does not leak)."""
    staff = StaffProfile.objects.filter(user_id=by.pk).first()
    in_scope = (
        staff is not None
        and staff.department_id == certificate.issuer_department_id
        and Certificate.objects.filter(
            region_scope_q(user=by, field="issuer_region_code"), pk=certificate.pk
        ).exists()
    )
    if not in_scope:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(MSG_REASON_REQUIRED, code="reason_required")
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == CertificateStatus.REVOKED:
        raise ValidationError(MSG_ALREADY_REVOKED, code="already_revoked")
    locked.status = CertificateStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revocation_reason = reason[:1000]
    locked.save(update_fields=["status", "revoked_at", "revocation_reason"])
    audit_log(
        actor=by,
        action="certificates.revoke",
        target_type="certificate",
        target_id=locked.number,
        region_code=locked.issuer_region_code,
        subject=locked.holder,
        details={"reason": locked.revocation_reason},
    )
    _notify(locked, "certificates_revoked")
    return locked


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def share_link_create(*, certificate: Certificate, hours: int = 24) -> tuple[ShareLink, str]:
    """(link, raw token): only the hash is stored, so the table alone cannot open links."""
    if certificate.status == CertificateStatus.REVOKED:
        raise ValidationError(MSG_SHARE_REVOKED, code="revoked")
    if not 1 <= hours <= SHARE_MAX_HOURS:
        raise ValidationError(MSG_SHARE_HOURS, code="bad_hours")
    token = secrets.token_urlsafe(24)
    link = ShareLink.objects.create(
        certificate=certificate,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    return link, token


def share_link_usable(*, token: str) -> bool:
    return ShareLink.objects.filter(
        token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


@transaction.atomic
def share_link_open(*, token: str) -> Certificate | None:
    """The certificate, spending the link; ``None`` for an unknown, used or expired link.
    The conditional UPDATE makes "one time" hold under concurrent opens."""
    now = timezone.now()
    spent = ShareLink.objects.filter(
        token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not spent:
        return None
    return (
        ShareLink.objects.select_related("certificate__certificate_type")
        .get(token_hash=_token_hash(token))
        .certificate
    )
