"""Pages: the public key set and revocation list, the public /verify page, the holder's
wallet (我的证照) with PDF and one-time share links, and revocation by the issuing department."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from yiwang.accounts.decorators import citizen_required, staff_required
from yiwang.accounts.models import User
from yiwang.certificates import selectors, services
from yiwang.certificates.api import verify_result_out
from yiwang.certificates.pdf import certificate_pdf, qr_svg_data_uri
from yiwang.certificates.signing.services import jwks_document

MAX_VERIFY_TEXT = 4000


@require_GET
@cache_control(public=True, max_age=300)
def jwks(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(jwks_document(), json_dumps_params={"indent": 2})
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="yiwang-jwks.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=60)  # "revoked certificates verify as revoked within a minute"
def revocations(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(selectors.revocation_list(), json_dumps_params={"indent": 2})
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="yiwang-revocations.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """Paste (POST) or follow a link carrying the QR text (GET ?text=, e.g. from a clerk's
    view of a certificate offered instead of a material): verifying changes nothing."""
    data = request.POST if request.method == "POST" else request.GET
    text = data.get("text", "").strip()[:MAX_VERIFY_TEXT]
    result = verify_result_out(selectors.certificate_verify_online(text=text)) if text else None
    return render(request, "certificates/verify.html", {"text": text, "result": result})


@citizen_required
def wallet(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "certificates/wallet.html",
        {"certificates": selectors.certificates_for_holder(user=request.user)[:200]},
    )


@citizen_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_holder(user=request.user, number=number)
    return render(request, "certificates/detail.html", {
        "certificate": certificate, "fields": certificate.display_fields(),
        "statement": certificate.certificate_type.render_statement(certificate.data),
        "qr": qr_svg_data_uri(certificate.qr_payload, scale=5),
        "share_url": request.session.pop(f"certificate-share-{number}", ""),
    })  # fmt: skip


@citizen_required
def pdf(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_holder(user=request.user, number=number)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@citizen_required
@require_POST
def share(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_holder(user=request.user, number=number)
    hours_text = request.POST.get("hours", "24")
    try:
        _link, token = services.share_link_create(
            certificate=certificate, hours=int(hours_text) if hours_text.isdigit() else 0
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        # Shown once on the next page, never stored in clear.
        request.session[f"certificate-share-{number}"] = request.build_absolute_uri(
            reverse("certificates:shared", args=[token])
        )
    return redirect("certificates:detail", number=number)


def shared(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks; POST spends the link. Chat apps fetch links to draw previews, and a
    preview must not use up a one-time link before the person it was sent to opens it."""
    if request.method != "POST":
        if not services.share_link_usable(token=token):
            return render(request, "certificates/shared_gone.html", status=410)
        return render(request, "certificates/shared_open.html")
    certificate = services.share_link_open(token=token)
    if certificate is None:
        return render(request, "certificates/shared_gone.html", status=410)
    result = verify_result_out(selectors.certificate_verify_online(text=certificate.qr_payload))
    return render(request, "certificates/verify.html", {"result": result, "shared": True})


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:40]
    certificates = selectors.certificates_for_staff(user=request.user)
    if query:
        certificates = certificates.filter(number__startswith=query)
    return render(
        request, "certificates/staff_list.html", {"certificates": certificates[:100], "q": query}
    )


@staff_required
def staff_revoke(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_staff(user=request.user, number=number)
    error = ""
    if request.method == "POST":
        try:
            services.certificate_revoke(
                certificate=certificate,
                by=cast(User, request.user),
                reason=request.POST.get("reason", ""),
            )
        except PermissionDenied as exc:  # scoped above; the service stays the real guard
            raise Http404 from exc
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The certificate was revoked."))
            return redirect("certificates:staff_list")
    return render(
        request, "certificates/staff_revoke.html", {"certificate": certificate, "error": error}
    )
