from __future__ import annotations

import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.accounts.models import DepartmentKind
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory, staff_client_login
from yiwang.certificates.models import Certificate, CertificateStatus, ShareLink
from yiwang.certificates.tests.factories import issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _holder_client(client: Client) -> Certificate:
    certificate = issued()
    client.force_login(certificate.holder)
    return certificate


def test_jwks_is_public_cached_and_downloadable(client: Client) -> None:
    certificate = issued()
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    jwk = response.json()["keys"][0]
    assert set(jwk) == {"kty", "crv", "alg", "use", "kid", "x"}
    assert (jwk["kty"], jwk["crv"], jwk["kid"]) == ("OKP", "Ed25519", certificate.signing_kid)
    download = client.get("/.well-known/jwks.json?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="yiwang-jwks.json"'
    revocations = client.get("/.well-known/revocations.json")
    assert "max-age=60" in revocations["Cache-Control"]
    assert revocations.json()["revoked"] == []


def test_verify_page_shows_status_and_only_disclosed_fields(client: Client) -> None:
    certificate = issued()
    page = client.get(reverse("certificates:verify")).content.decode()
    assert "certificates/scan.js" in page
    response = client.post(reverse("certificates:verify"), {"text": certificate.qr_payload})
    html = response.content.decode()
    assert 'data-status="valid"' in html
    assert "The certificate is genuine and valid." in html
    assert "李明" in html
    assert "440106199003071234" not in html  # the ID number is not disclosed
    revoked = client.post(reverse("certificates:verify"), {"text": "YW1:broken"})
    assert 'data-status="malformed"' in revoked.content.decode()


def test_verify_page_checks_the_text_a_link_carries(client: Client) -> None:
    """A clerk's "check its status now" link carries the QR text; following it verifies
    (a read) and shows the current status, revocation included."""
    certificate = issued()
    response = client.get(reverse("certificates:verify"), {"text": certificate.qr_payload})
    assert 'data-status="valid"' in response.content.decode()
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.REVOKED)
    response = client.get(reverse("certificates:verify"), {"text": certificate.qr_payload})
    assert 'data-status="revoked"' in response.content.decode()
    assert client.get(reverse("certificates:verify")).status_code == 200


def test_verify_page_in_chinese() -> None:
    certificate = issued()
    certificate.status = CertificateStatus.REVOKED
    certificate.save()
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = zh.post(
        reverse("certificates:verify"), {"text": certificate.qr_payload}
    ).content.decode()
    assert "证照已被发证部门撤销。" in html
    assert "核验证照" in html


def test_wallet_list_detail_and_someone_elses_is_404(client: Client) -> None:
    certificate = _holder_client(client)
    wallet = client.get(reverse("certificates:wallet")).content.decode()
    assert certificate.number in wallet
    assert "Social insurance participation record" in wallet
    detail = client.get(reverse("certificates:detail", args=[certificate.number])).content.decode()
    assert "136" in detail
    assert "data:image/svg+xml" in detail
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(CitizenFactory().user)
    assert other.get(reverse("certificates:detail", args=[certificate.number])).status_code == 404
    assert other.get(reverse("certificates:pdf", args=[certificate.number])).status_code == 404
    assert other.post(reverse("certificates:share", args=[certificate.number])).status_code == 404
    assert ShareLink.objects.count() == 0
    assert Client().get(reverse("certificates:wallet")).status_code == 302


def test_pdf_download(client: Client) -> None:
    certificate = _holder_client(client)
    response = client.get(reverse("certificates:pdf", args=[certificate.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    fonts = _pdf_font_names(response.content)
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts


def _pdf_font_names(pdf: bytes) -> set[str]:
    """Embedded font names, read from the (compressed) object streams."""
    names: set[str] = set()
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        names.update(m.decode() for m in re.findall(rb"/FontName\s*/([A-Za-z0-9+-]+)", text))
    return names


def test_share_link_once(client: Client) -> None:
    certificate = _holder_client(client)
    response = client.post(
        reverse("certificates:share", args=[certificate.number]), {"hours": "24"}, follow=True
    )
    html = response.content.decode()
    match = re.search(r'<code id="share-url">([^<]+)</code>', html)
    assert match is not None
    path = match.group(1).replace("http://testserver", "")
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    # A link preview (GET) does not spend the link; opening it (POST) does.
    for _ in range(2):
        preview = visitor.get(path)
        assert preview.status_code == 200
        assert "Show the certificate" in preview.content.decode()
    first = visitor.post(path)
    assert first.status_code == 200
    assert 'data-status="valid"' in first.content.decode()
    assert visitor.post(path).status_code == 410
    second = visitor.get(path)
    assert second.status_code == 410
    assert "Link no longer valid" in second.content.decode()


def test_share_link_bad_hours_changes_nothing(client: Client) -> None:
    certificate = _holder_client(client)
    response = client.post(
        reverse("certificates:share", args=[certificate.number]), {"hours": "999"}, follow=True
    )
    assert "A share link lasts between 1 and 168 hours." in response.content.decode()
    assert ShareLink.objects.count() == 0


def test_staff_revoke_page(client: Client) -> None:
    certificate = issued()
    staff_client_login(
        client, StaffFactory(region_code="440106", department_kind=DepartmentKind.HUMAN_RESOURCES)
    )
    listing = client.get(reverse("certificates:staff_list")).content.decode()
    assert certificate.number in listing
    url = reverse("certificates:staff_revoke", args=[certificate.number])
    empty = client.post(url, {"reason": ""})
    assert "Give the reason for revoking the certificate." in empty.content.decode()
    done = client.post(url, {"reason": "信息有误"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED


def test_staff_of_another_region_gets_404(client: Client) -> None:
    certificate = issued()
    staff_client_login(
        client, StaffFactory(region_code="440104", department_kind=DepartmentKind.HUMAN_RESOURCES)
    )
    assert certificate.number not in client.get(reverse("certificates:staff_list")).content.decode()
    url = reverse("certificates:staff_revoke", args=[certificate.number])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
