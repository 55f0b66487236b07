"""``/api/v1/certificates``: verification (public), the revocation list and key set (public),
the signed-in citizen's wallet, and revocation by the issuing department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from yiwang.certificates import selectors, services
from yiwang.certificates.models import Certificate, CertificateType
from yiwang.certificates.pdf import certificate_pdf
from yiwang.certificates.signing.qr import VerifyResult
from yiwang.certificates.signing.services import jwks_document

router = Router(tags=["certificates"])


class VerifyIn(Schema):
    text: str


class FieldOut(Schema):
    key: str
    label: str
    value: str


class VerifyOut(Schema):
    status: str
    message: str
    number: str | None = None
    type_code: str | None = None
    type_name: str | None = None
    issuer: str | None = None
    issued_at: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    fields: list[FieldOut]


class CertificateOut(Schema):
    number: str
    type_code: str
    type_name: str
    issuer: str
    issuer_region_code: str
    issued_at: dt.datetime
    valid_until: dt.datetime | None
    status: str
    revocation_reason: str
    fields: list[FieldOut]
    vc_jwt: str
    qr_payload: str


class RevokeIn(Schema):
    reason: str


class ShareIn(Schema):
    hours: int = 24


class ShareOut(Schema):
    url: str
    expires_at: dt.datetime


class RevocationsOut(Schema):
    updated_at: str
    revoked: list[str]


def verify_result_out(result: VerifyResult) -> dict[str, Any]:
    """Shared with the page: labels come from the type when this server knows it."""
    claims = result.claims
    ctype = CertificateType.objects.filter(code=claims.type_code).first() if claims else None
    return {
        "status": result.status,
        "message": str(result.message),
        "number": claims.number if claims else None,
        "type_code": claims.type_code if claims else None,
        "type_name": (ctype.localized_name() if ctype else claims.type_name) if claims else None,
        "issuer": claims.issuer if claims else None,
        "issued_at": claims.issued_at if claims else None,
        "valid_until": claims.valid_until if claims else None,
        "fields": [
            {"key": k, "label": ctype.field_label(k) if ctype else k, "value": v}
            for k, v in result.fields.items()
        ],
    }


def _certificate(c: Certificate) -> dict[str, Any]:
    ctype = c.certificate_type
    return {
        "number": c.number, "type_code": ctype.code, "type_name": ctype.localized_name(),
        "issuer": c.issuer_name, "issuer_region_code": c.issuer_region_code,
        "issued_at": c.issued_at, "valid_until": c.valid_until, "status": c.status,
        "revocation_reason": c.revocation_reason,
        "fields": [
            {"key": k, "label": ctype.field_label(k), "value": str(c.data.get(k, ""))}
            for k in ctype.field_keys
        ],
        "vc_jwt": c.vc_jwt, "qr_payload": c.qr_payload,
    }  # fmt: skip


def _citizen(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_citizen", False):
        raise PermissionDenied
    return user


@router.post("/verify", response=VerifyOut, auth=None, summary="Verify a certificate QR text")
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    return verify_result_out(selectors.certificate_verify_online(text=payload.text))


@router.get("/revocations", response=RevocationsOut, auth=None, summary="Revoked numbers")
def revocations(request: HttpRequest) -> dict[str, Any]:
    return selectors.revocation_list()


@router.get("/keys", auth=None, summary="Public signing keys (JWKS)")
def keys(request: HttpRequest) -> dict[str, Any]:
    return jwks_document()


@router.get("/", response=list[CertificateOut], summary="My certificates")
def my_certificates(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _certificate(c) for c in selectors.certificates_for_holder(user=_citizen(request))[:200]
    ]


@router.get("/{number}", response=CertificateOut, summary="One of my certificates")
def my_certificate(request: HttpRequest, number: str) -> dict[str, Any]:
    return _certificate(selectors.certificate_get_for_holder(user=_citizen(request), number=number))


@router.get("/{number}/pdf", summary="One of my certificates as a PDF")
def my_certificate_pdf(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_holder(user=_citizen(request), number=number)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@router.post("/{number}/share", response={201: ShareOut}, summary="One-time verification link")
def share(request: HttpRequest, number: str, payload: ShareIn) -> Status:
    certificate = selectors.certificate_get_for_holder(user=_citizen(request), number=number)
    link, token = services.share_link_create(certificate=certificate, hours=payload.hours)
    url = request.build_absolute_uri(reverse("certificates:shared", args=[token]))
    return Status(201, {"url": url, "expires_at": link.expires_at})


@router.post("/{number}/revoke", response=CertificateOut, summary="Revoke (issuing department)")
def revoke(request: HttpRequest, number: str, payload: RevokeIn) -> dict[str, Any]:
    certificate = selectors.certificate_get_for_staff(user=request.user, number=number)
    return _certificate(
        services.certificate_revoke(certificate=certificate, by=request.user, reason=payload.reason)  # type: ignore[arg-type]
    )
