"""The compact QR payload, in the style of the EU Digital COVID Certificate:

    "YW1:" + Base45( zlib( COSE_Sign1( EdDSA, kid in the protected header, CWT claims ) ) )

Claims: 1 iss (issuing department), 6 iat, 4 exp (absent when the certificate does not
expire) and the private claim -260 holding ``{1: {n: number, t: type code, tn: type name,
r: issuer region code, f: {disclosed fields}}}``. Only the disclosed fields travel: whoever
scans a printed page learns nothing else.

``qr_verify`` is a pure function of its arguments: no database, no network, no clock of its
own — the page, the API and the offline command all call it.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

import base45
import cbor2
import cwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yiwang.certificates.signing.keys import (
    b64url_encode,
    keys_from_jwks,
    private_key_to_text,
    public_key_text,
)

PREFIX = "YW1:"
CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_CERT = 1, 4, 6, -260
COSE_SIGN1_TAG = 18
HEADER_ALG, HEADER_KID, ALG_EDDSA = 1, 4, -8
# A printed QR holds a few hundred characters comfortably; a longer text is not ours.
MAX_TEXT = 4000

STATUS_VALID = "valid"
STATUS_INVALID_SIGNATURE = "invalid_signature"
STATUS_UNKNOWN_KEY = "unknown_key"
STATUS_REVOKED = "revoked"
STATUS_EXPIRED = "expired"
STATUS_MALFORMED = "malformed"

MSG_VALID = _("The certificate is genuine and valid.")
MSG_INVALID_SIGNATURE = _("The signature does not match: the content was altered or forged.")
MSG_UNKNOWN_KEY = _("The certificate was signed with a key this verifier does not know.")
MSG_REVOKED = _("The certificate was revoked by the issuing department.")
MSG_EXPIRED = _("The certificate has expired.")
MSG_MALFORMED = _("This is not a Yiwang certificate code, or it is damaged or incomplete.")

MESSAGES: dict[str, Promise] = {
    STATUS_VALID: MSG_VALID,
    STATUS_INVALID_SIGNATURE: MSG_INVALID_SIGNATURE,
    STATUS_UNKNOWN_KEY: MSG_UNKNOWN_KEY,
    STATUS_REVOKED: MSG_REVOKED,
    STATUS_EXPIRED: MSG_EXPIRED,
    STATUS_MALFORMED: MSG_MALFORMED,
}


@dataclass(frozen=True)
class QrClaims:
    number: str
    type_code: str
    type_name: str
    issuer: str
    region_code: str
    issued_at: dt.datetime
    valid_until: dt.datetime | None
    fields: dict[str, str]


@dataclass(frozen=True)
class VerifyResult:
    status: str
    message: Promise
    claims: QrClaims | None = None
    kid: str = ""
    # Disclosed fields only; empty unless the signature checked out.
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return self.status == STATUS_VALID


def _cose_key(
    *, kid: str, private: Ed25519PrivateKey | None = None, public: Ed25519PublicKey | None = None
) -> Any:
    jwk: dict[str, str] = {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": kid}
    if private is not None:
        jwk |= {"x": public_key_text(private), "d": private_key_to_text(private)}
    elif public is not None:
        jwk["x"] = public_key_text(public)
    return cwt.COSEKey.from_jwk(jwk)


def qr_encode(*, claims: QrClaims, key: Ed25519PrivateKey, kid: str) -> str:
    body: dict[int, Any] = {
        CLAIM_ISS: claims.issuer,
        CLAIM_IAT: int(claims.issued_at.timestamp()),
        CLAIM_CERT: {
            1: {
                "n": claims.number,
                "t": claims.type_code,
                "tn": claims.type_name,
                "r": claims.region_code,
                "f": claims.fields,
            }
        },
    }
    if claims.valid_until is not None:
        body[CLAIM_EXP] = int(claims.valid_until.timestamp())
    # kid in the *protected* header (as the DCC does), so it is covered by the signature.
    message = cwt.COSE.new().encode_and_sign(
        cbor2.dumps(body),
        _cose_key(kid=kid, private=key),
        protected={HEADER_ALG: ALG_EDDSA, HEADER_KID: kid.encode("ascii")},
    )
    return PREFIX + base45.b45encode(zlib.compress(message, 9)).decode()


def _result(status: str, **kwargs: Any) -> VerifyResult:
    return VerifyResult(status=status, message=MESSAGES[status], **kwargs)


def _unwrap(text: str) -> tuple[bytes, str, bytes]:
    """(COSE_Sign1 bytes, kid, payload) or ``ValueError`` for anything that is not one."""
    if not isinstance(text, str) or len(text) > MAX_TEXT or not text.strip().startswith(PREFIX):
        raise ValueError("prefix")
    message = zlib.decompress(base45.b45decode(text.strip()[len(PREFIX) :]))
    tagged = cbor2.loads(message)
    if not isinstance(tagged, cbor2.CBORTag) or tagged.tag != COSE_SIGN1_TAG:
        raise ValueError("not COSE_Sign1")
    if not isinstance(tagged.value, list) or len(tagged.value) != 4:
        raise ValueError("not COSE_Sign1")
    protected_bytes, _unprotected, payload, _signature = tagged.value
    protected = cbor2.loads(protected_bytes) if protected_bytes else {}
    if not isinstance(protected, dict) or protected.get(HEADER_ALG) != ALG_EDDSA:
        raise ValueError("algorithm")
    kid = protected.get(HEADER_KID)
    if not isinstance(kid, bytes) or not isinstance(payload, bytes):
        raise ValueError("kid")
    return message, kid.decode("ascii"), payload


def _claims(payload: bytes) -> QrClaims:
    body = cbor2.loads(payload)
    cert = body[CLAIM_CERT][1]
    exp = body.get(CLAIM_EXP)
    fields = cert["f"]
    if not isinstance(fields, dict):
        raise ValueError("fields")
    return QrClaims(
        number=str(cert["n"]),
        type_code=str(cert["t"]),
        type_name=str(cert["tn"]),
        issuer=str(body[CLAIM_ISS]),
        region_code=str(cert["r"]),
        issued_at=dt.datetime.fromtimestamp(int(body[CLAIM_IAT]), tz=dt.UTC),
        valid_until=None if exp is None else dt.datetime.fromtimestamp(int(exp), tz=dt.UTC),
        fields={str(k): str(v) for k, v in fields.items()},
    )


def qr_verify(
    text: str, *, keys: dict[str, Any], revoked: set[str] | frozenset[str], now: dt.datetime
) -> VerifyResult:
    """Check a scanned or pasted QR text against a JWKS document (``keys``) and a set of
    revoked certificate numbers, at time ``now``. Order: the code must parse (malformed), its
    key must be known (unknown_key), the signature must hold (invalid_signature); only then
    are its claims trusted enough to say revoked or expired."""
    public_keys = keys_from_jwks(keys)  # a broken key file is the verifier's error: raise
    try:
        message, kid, payload = _unwrap(text)
    except (ValueError, TypeError, zlib.error, cbor2.CBORError, UnicodeDecodeError):
        return _result(STATUS_MALFORMED)
    public = public_keys.get(kid)
    if public is None:
        return _result(STATUS_UNKNOWN_KEY, kid=kid)
    try:
        verified = cwt.COSE.new().decode(message, _cose_key(kid=kid, public=public))
    except (cwt.VerifyError, cwt.DecodeError, ValueError):
        return _result(STATUS_INVALID_SIGNATURE, kid=kid)
    try:
        claims = _claims(verified if isinstance(verified, bytes) else payload)
    except (KeyError, TypeError, ValueError, OverflowError, cbor2.CBORError):
        return _result(STATUS_MALFORMED, kid=kid)
    if claims.number in revoked:
        return _result(STATUS_REVOKED, claims=claims, kid=kid)
    if claims.valid_until is not None and claims.valid_until <= now:
        return _result(STATUS_EXPIRED, claims=claims, kid=kid)
    return _result(STATUS_VALID, claims=claims, kid=kid, fields=claims.fields)


__all__ = ["PREFIX", "QrClaims", "VerifyResult", "b64url_encode", "qr_encode", "qr_verify"]
