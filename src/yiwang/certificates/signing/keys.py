"""Ed25519 key material as JWKs (RFC 8037: ``kty`` OKP, ``crv`` Ed25519). Pure functions."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Strict: only the URL-safe alphabet, no padding needed; raises ``ValueError``."""
    if not isinstance(text, str) or any(c in text for c in "+/= \n"):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def private_key_generate() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_text(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return b64url_encode(raw)


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(b64url_decode(text))


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return b64url_encode(
        public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def kid_for(public_text: str) -> str:
    """A short key id (8 characters) derived from the public key, as the EU DCC does: short
    because it travels in every QR code, derived so that it cannot name the wrong key."""
    return b64url_encode(hashlib.sha256(b64url_decode(public_text)).digest()[:6])


def public_jwk(*, kid: str, public_text: str) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "alg": "EdDSA",
        "use": "sig",
        "kid": kid,
        "x": public_text,
    }


def private_jwk(*, kid: str, private_text: str) -> dict[str, str]:
    key = private_key_from_text(private_text)
    return public_jwk(kid=kid, public_text=public_key_text(key)) | {"d": private_text}


def keys_from_jwks(jwks: Any) -> dict[str, Ed25519PublicKey]:
    """``{kid: public key}`` from a JWKS document; entries that are not Ed25519 are skipped so
    that a set shared with other algorithms still works. Raises ``ValueError`` if the document
    itself is not a JWKS."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise ValueError("not a JWKS document")
    keys: dict[str, Ed25519PublicKey] = {}
    for jwk in jwks["keys"]:
        if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            continue
        kid, x = jwk.get("kid"), jwk.get("x")
        if not isinstance(kid, str) or not isinstance(x, str):
            continue
        try:
            keys[kid] = Ed25519PublicKey.from_public_bytes(b64url_decode(x))
        except ValueError:
            continue
    return keys
