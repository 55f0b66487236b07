"""``yiwang verify <qr-text> --keys jwks.json [--revoked file]``: offline verification.

It never opens the database or the network: keys and the revocation list come from files
(downloaded earlier from /.well-known/jwks.json and /.well-known/revocations.json).
Exit status 0 only for a valid certificate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yiwang.certificates.signing.qr import qr_verify


def _revoked(path: str | None) -> set[str]:
    """The JSON revocation list, or a plain file with one certificate number per line."""
    if not path:
        return set()
    text = Path(path).read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except ValueError:
        return {line.strip() for line in text.splitlines() if line.strip()}
    if isinstance(document, dict) and isinstance(document.get("revoked"), list):
        return {str(n) for n in document["revoked"]}
    raise CommandError("--revoked: not a revocation list")


class Command(BaseCommand):
    help = "Verify a certificate QR text offline against a JWKS file (no database, no network)."
    # System checks may query the database; an offline verifier has none.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("text", help="the QR text, starting with YW1:")
        parser.add_argument("--keys", required=True, help="JWKS file")
        parser.add_argument("--revoked", help="revocation list file (JSON or one number a line)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            keys = json.loads(Path(options["keys"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"--keys: {exc}") from exc
        try:
            revoked = _revoked(options.get("revoked"))
        except OSError as exc:
            raise CommandError(f"--revoked: {exc}") from exc
        try:
            result = qr_verify(options["text"], keys=keys, revoked=revoked, now=timezone.now())
        except ValueError as exc:
            raise CommandError(f"--keys: {exc}") from exc
        self.stdout.write(f"{result.status}: {result.message}")
        if result.claims is not None:
            c = result.claims
            self.stdout.write(
                f"number: {c.number}\ntype: {c.type_name} ({c.type_code})\nissuer: {c.issuer}"
            )
            self.stdout.write(f"issued: {c.issued_at:%Y-%m-%d}")
            if c.valid_until is not None:
                self.stdout.write(f"valid until: {c.valid_until:%Y-%m-%d}")
        for key, value in result.fields.items():
            self.stdout.write(f"{key}: {value}")
        if not result.is_valid:
            raise SystemExit(1)
