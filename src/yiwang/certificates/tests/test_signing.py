"""Pure signing: VC-JWT vectors and the compact QR payload (no database)."""

from __future__ import annotations

import datetime as dt
import zlib

import base45
import cbor2
import segno

from yiwang.certificates.signing.jws import JwsError, jws_sign, jws_verify
from yiwang.certificates.signing.keys import b64url_decode, b64url_encode, keys_from_jwks
from yiwang.certificates.signing.qr import PREFIX, qr_verify
from yiwang.certificates.tests.factories import NOW, PureKey, claims, qr_text


def _jws_error(token: str, keys: dict) -> str:  # type: ignore[type-arg]
    try:
        jws_verify(token, keys=keys)
    except JwsError as exc:
        return exc.code
    return "no error"


def test_vc_jwt_sign_then_verify() -> None:
    key = PureKey()
    payload = {"iss": "https://x", "vc": {"credentialSubject": {"name": "李明"}}}
    token = jws_sign(payload=payload, key=key.private, kid=key.kid)
    header = b64url_decode(token.split(".")[0])
    assert header == f'{{"alg":"EdDSA","typ":"JWT","kid":"{key.kid}"}}'.encode()
    assert jws_verify(token, keys=keys_from_jwks(key.jwks)) == payload


def test_vc_jwt_tampered_payload_is_invalid() -> None:
    key = PureKey()
    token = jws_sign(payload={"months": "136"}, key=key.private, kid=key.kid)
    head, _body, sig = token.split(".")
    forged_body = b64url_encode(b'{"months":"999"}')
    forged = f"{head}.{forged_body}.{sig}"
    assert _jws_error(forged, keys_from_jwks(key.jwks)) == "invalid_signature"


def test_vc_jwt_unknown_kid_and_malformed() -> None:
    key, other = PureKey(), PureKey()
    token = jws_sign(payload={"a": 1}, key=key.private, kid=key.kid)
    assert _jws_error(token, keys_from_jwks(other.jwks)) == "unknown_key"
    assert _jws_error("a.b", keys_from_jwks(key.jwks)) == "malformed"
    assert _jws_error("!!.??.**", keys_from_jwks(key.jwks)) == "malformed"
    none_alg = b64url_encode(b'{"alg":"none","kid":"x"}') + "." + token.split(".")[1] + "."
    assert _jws_error(none_alg, keys_from_jwks(key.jwks)) == "malformed"


def test_vc_jwt_signed_by_another_key_under_known_kid_is_invalid() -> None:
    key, impostor = PureKey(), PureKey()
    token = jws_sign(payload={"a": 1}, key=impostor.private, kid=key.kid)
    assert _jws_error(token, keys_from_jwks(key.jwks)) == "invalid_signature"


def test_qr_payload_structure_is_cose_sign1_with_kid() -> None:
    key = PureKey()
    text = qr_text(key)
    assert text.startswith(PREFIX)
    tagged = cbor2.loads(zlib.decompress(base45.b45decode(text[len(PREFIX) :])))
    assert tagged.tag == 18
    protected = cbor2.loads(tagged.value[0])
    assert protected == {1: -8, 4: key.kid.encode()}
    body = cbor2.loads(tagged.value[2])
    assert body[1] == "广州市天河区人力资源和社会保障局"
    assert body[-260][1]["f"]["name"] == "李明"
    assert "id_number" not in body[-260][1]["f"]


def test_qr_payload_round_trip() -> None:
    key = PureKey()
    result = qr_verify(qr_text(key), keys=key.jwks, revoked=set(), now=NOW)
    assert result.status == "valid"
    assert result.kid == key.kid
    assert result.claims == claims()
    assert result.fields == claims().fields


def test_qr_fits_a_phone_readable_symbol() -> None:
    """A typical certificate (Chinese fields, 90-day validity) stays a QR of version <= 15 at
    error level M, which a phone camera reads from a printed A4 page."""
    key = PureKey()
    text = qr_text(key)
    symbol = segno.make(text, error="m", micro=False)
    assert len(text) < 560  # about 510 today: version 14 at level M
    assert symbol.version <= 15


def test_qr_without_expiry_has_no_exp_claim() -> None:
    key = PureKey()
    result = qr_verify(
        qr_text(key, valid_until=None),
        keys=key.jwks,
        revoked=set(),
        now=NOW + dt.timedelta(days=9999),
    )
    assert result.status == "valid"
    assert result.claims is not None and result.claims.valid_until is None
