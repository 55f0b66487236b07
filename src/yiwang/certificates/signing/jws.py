"""VC-JWT: a W3C Verifiable Credential as a compact JWS signed with EdDSA (Ed25519).

JWS compact serialisation is three base64url parts; writing it here (instead of adding a
JOSE library) keeps the only algorithm we accept explicit: ``alg`` must be ``EdDSA``, so the
classic ``alg: none`` / algorithm-confusion attacks have nothing to switch to.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yiwang.certificates.signing.keys import b64url_decode, b64url_encode


class JwsError(Exception):
    """``code`` is one of ``malformed``, ``unknown_key``, ``invalid_signature``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _json_part(data: dict[str, Any]) -> str:
    return b64url_encode(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def jws_sign(*, payload: dict[str, Any], key: Ed25519PrivateKey, kid: str) -> str:
    header = {"alg": "EdDSA", "typ": "JWT", "kid": kid}
    signing_input = f"{_json_part(header)}.{_json_part(payload)}"
    return f"{signing_input}.{b64url_encode(key.sign(signing_input.encode()))}"


def jws_verify(token: str, *, keys: dict[str, Ed25519PublicKey]) -> dict[str, Any]:
    """The verified payload, or ``JwsError``."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise JwsError("malformed")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except ValueError as exc:
        raise JwsError("malformed") from exc
    if (
        not isinstance(header, dict)
        or not isinstance(payload, dict)
        or header.get("alg") != "EdDSA"
    ):
        raise JwsError("malformed")
    key = keys.get(str(header.get("kid")))
    if key is None:
        raise JwsError("unknown_key")
    try:
        key.verify(signature, f"{parts[0]}.{parts[1]}".encode())
    except InvalidSignature as exc:
        raise JwsError("invalid_signature") from exc
    return payload
