"""Certificates in a real browser: anyone pastes a printed certificate's QR text on /verify
and sees it valid (only the disclosed fields), a tampered text is refused, and the demo
citizen's wallet and certificate page pass the axe check. Chromium has no camera here, so
the scan button (BarcodeDetector) stays hidden and pasting is the path."""

from __future__ import annotations

from typing import Any

import pytest

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def certificate(demo_data: list[Any]) -> Any:
    """The demo citizen's 社会保险参保证明, issued the way the demo issues it: by the rules'
    approval of an RS-0001 application (no certificate is made out of thin air)."""
    from yiwang.applications.models import Application

    from .test_applications_journey import _demo

    number = _demo(with_cases=True)["instant"]
    return Application.objects.get(number=number).result_certificate


def _paste_and_verify(page: Any, text: str) -> str:
    page.goto("/verify/")
    assert_accessible(page)
    page.locator("#verify-text").fill(text)
    page.locator("form[action='/verify/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)
    return str(page.locator("#verify-result").get_attribute("data-status"))


def test_pasted_qr_text_verifies_and_tampering_is_refused(page: Any, certificate: Any) -> None:
    assert _paste_and_verify(page, certificate.qr_payload) == "valid"
    main = page.locator("main").inner_text()
    assert "证照真实有效。" in main
    assert "社会保险参保证明" in main
    assert certificate.data["id_number"] not in main  # not a disclosed field
    assert page.locator("#verify-scan").is_hidden()
    text = certificate.qr_payload
    tampered = text[:40] + ("A" if text[40] != "A" else "B") + text[41:]
    assert _paste_and_verify(page, tampered) == "malformed"


def test_wallet_and_certificate_page(page: Any, live_server: Any, certificate: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(certificate.holder)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/certificates/")
    assert_accessible(page)
    page.get_by_role("link", name="社会保险参保证明").click()
    page.wait_for_url(f"**/certificates/{certificate.number}/")
    assert_accessible(page)
    assert certificate.number in page.locator("main").inner_text()
    # The first PDF loads the CJK fonts (tens of MB) into WeasyPrint: slow on a busy machine.
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("link", name="下载 PDF").click(timeout=90_000)
    assert download.value.suggested_filename == f"certificate-{certificate.number}.pdf"
