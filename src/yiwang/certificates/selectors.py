"""Reads: the holder's wallet, staff views scoped to the issuing department's region, and
verification against the live key set and revocation list."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.selectors import region_scope_q, staff_profile
from yiwang.certificates.models import Certificate, CertificateStatus
from yiwang.certificates.signing.qr import STATUS_INVALID_SIGNATURE, VerifyResult, qr_verify
from yiwang.certificates.signing.services import jwks_document


def certificates_for_holder(*, user: Any) -> QuerySet[Certificate]:
    return Certificate.objects.select_related("certificate_type").filter(holder_id=user.pk)


def certificate_get_for_holder(*, user: Any, number: str) -> Certificate:
    """Someone else's certificate is 404, like one that does not exist."""
    certificate = certificates_for_holder(user=user).filter(number=number).first()
    if certificate is None:
        raise Http404
    return certificate


def certificates_for_staff(*, user: Any) -> QuerySet[Certificate]:
    """Certificates issued by the staff member's department inside their region."""
    staff = staff_profile(user)
    if staff is None:
        return Certificate.objects.none()
    return (
        Certificate.objects.select_related("certificate_type")
        .filter(region_scope_q(user=user, field="issuer_region_code"))
        .filter(issuer_department_id=staff.department_id)
    )


def certificate_get_for_staff(*, user: Any, number: str) -> Certificate:
    certificate = certificates_for_staff(user=user).filter(number=number).first()
    if certificate is None:
        raise Http404
    return certificate


def revoked_numbers() -> set[str]:
    return set(
        Certificate.objects.filter(status=CertificateStatus.REVOKED).values_list(
            "number", flat=True
        )
    )


def revocation_list() -> dict[str, Any]:
    return {"updated_at": timezone.now().isoformat(), "revoked": sorted(revoked_numbers())}


def certificate_verify_online(*, text: str) -> VerifyResult:
    """The same pure check the offline command runs, fed with the live key set and this
    certificate's status read now, so a revocation shows at once. Only the claimed number is
    looked up (not the whole list); the claims are trusted only once the signature held."""
    keys, now = jwks_document(), timezone.now()
    result = qr_verify(text, keys=keys, revoked=set(), now=now)
    if result.claims is None or result.status == STATUS_INVALID_SIGNATURE:
        return result
    number = result.claims.number
    revoked = Certificate.objects.filter(number=number, status=CertificateStatus.REVOKED).exists()
    return qr_verify(text, keys=keys, revoked={number}, now=now) if revoked else result


MSG_REUSE_NOT_FOUND = _("There is no certificate with this number in your wallet.")
MSG_REUSE_WRONG_TYPE = _("This certificate is not of the kind this material asks for.")
MSG_REUSE_REVOKED = _("This certificate was revoked and cannot be used.")
MSG_REUSE_EXPIRED = _("This certificate has expired and cannot be used.")


def certificate_for_reuse(
    *, user: Any, number: str, certificate_type_code: str | None = None
) -> Certificate:
    """免提交: a certificate the applicant offers instead of uploading a material. It must be
    in their own wallet (another person's certificate is answered like an unknown number, so
    numbers cannot be probed), of the asked type, not revoked and not expired."""
    certificate = certificates_for_holder(user=user).filter(number=(number or "").strip()).first()
    if certificate is None:
        raise ValidationError(MSG_REUSE_NOT_FOUND, code="certificate_not_found")
    if certificate_type_code and certificate.certificate_type.code != certificate_type_code:
        raise ValidationError(MSG_REUSE_WRONG_TYPE, code="certificate_wrong_type")
    if certificate.status == CertificateStatus.REVOKED:
        raise ValidationError(MSG_REUSE_REVOKED, code="certificate_revoked")
    if certificate.is_expired:
        raise ValidationError(MSG_REUSE_EXPIRED, code="certificate_expired")
    return certificate
