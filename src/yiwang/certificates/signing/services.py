"""The ``SigningKey`` table: rotation, the active key, the published key set."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from django.utils import timezone

from yiwang.audit.services import audit_log
from yiwang.certificates.models import SigningKey
from yiwang.certificates.signing.keys import (
    kid_for,
    private_key_from_text,
    private_key_generate,
    private_key_to_text,
    public_jwk,
    public_key_text,
)


@transaction.atomic
def signing_key_rotate(*, actor: Any = None) -> SigningKey:
    """A new active key; the previous one is retired but stays in the JWKS, so everything it
    signed keeps verifying."""
    now = timezone.now()
    # Lock the current active key so two rotations cannot both leave a key active.
    previous = list(SigningKey.objects.select_for_update().filter(is_active=True))
    SigningKey.objects.filter(pk__in=[k.pk for k in previous]).update(
        is_active=False, retired_at=now
    )
    private = private_key_generate()
    public_text = public_key_text(private)
    key = SigningKey.objects.create(
        kid=kid_for(public_text),
        public_key=public_text,
        private_key=private_key_to_text(private),
        created_at=now,
        is_active=True,
    )
    audit_log(
        actor=actor,
        action="certificates.key_rotate",
        target_type="signing_key",
        target_id=key.kid,
        details={"retired": [k.kid for k in previous]},
    )
    return key


def signing_key_active() -> tuple[str, Ed25519PrivateKey]:
    """(kid, private key) of the active key, creating the first key on first use."""
    key = SigningKey.objects.filter(is_active=True).first() or signing_key_rotate()
    return key.kid, private_key_from_text(key.private_key)


def jwks_document() -> dict[str, list[dict[str, str]]]:
    """Every key ever used, newest first: a verifier needs retired keys for old certificates."""
    return {
        "keys": [
            public_jwk(kid=kid, public_text=public)
            for kid, public in SigningKey.objects.order_by("-created_at").values_list(
                "kid", "public_key"
            )
        ]
    }
