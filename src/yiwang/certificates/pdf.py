"""The printable certificate: WeasyPrint, Noto CJK fonts, the QR and a drawn seal."""

from __future__ import annotations

import base64
import html
import logging
import math

import segno
from django.template.loader import render_to_string

from yiwang.certificates.models import Certificate

# WeasyPrint logs seven INFO "Step n" lines per document: noise in request logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def qr_svg_data_uri(text: str, *, scale: int = 4) -> str:
    # Error level M: survives a crease or a smudge on a printed page, still a small symbol.
    return str(segno.make(text, error="m", micro=False).svg_data_uri(scale=scale, border=2))


def seal_svg_data_uri(issuer: str) -> str:
    """A round red official seal: the issuer's name around the rim, a star in the middle,
    "电子证照专用章" across the bottom. Drawn here, so no image file has to be trusted."""
    r, cx, cy = 70, 80, 80
    chars = list(issuer)[:24]
    span = math.radians(240)
    start = math.radians(-90) - span / 2
    glyphs = []
    for i, ch in enumerate(chars):
        angle = start + span * (i + 0.5) / max(len(chars), 1)
        x, y = cx + (r - 16) * math.cos(angle), cy + (r - 16) * math.sin(angle)
        rotate = math.degrees(angle) + 90
        glyphs.append(
            f'<text x="{x:.1f}" y="{y:.1f}" transform="rotate({rotate:.1f} {x:.1f} {y:.1f})" '
            f'text-anchor="middle" dominant-baseline="central">{html.escape(ch)}</text>'
        )
    star = " ".join(
        f"{cx + (22 if k % 2 == 0 else 9) * math.cos(math.radians(-90 + 36 * k)):.1f},"
        f"{cy + (22 if k % 2 == 0 else 9) * math.sin(math.radians(-90 + 36 * k)):.1f}"
        for k in range(10)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">'
        f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="#c8102e" stroke-width="4"/>'
        f'<polygon points="{star}" fill="#c8102e"/>'
        '<g fill="#c8102e" font-family="Noto Serif CJK SC, Noto Sans CJK SC" font-size="15" '
        f'font-weight="bold">{"".join(glyphs)}'
        f'<text x="{cx}" y="{cy + 42}" text-anchor="middle" font-size="11">'
        "电子证照专用章</text></g>"
        "</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    document = render_to_string(
        "certificates/pdf.html",
        {
            "certificate": certificate,
            "ctype": certificate.certificate_type,
            "fields": certificate.display_fields(),
            "statement": certificate.certificate_type.render_statement(certificate.data),
            "qr": qr_svg_data_uri(certificate.qr_payload),
            "seal": seal_svg_data_uri(certificate.issuer_name),
        },
    )
    return bytes(HTML(string=document).write_pdf())
