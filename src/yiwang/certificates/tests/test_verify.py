"""``qr_verify``: every bad input gets its own exact status and discloses nothing."""

from __future__ import annotations

import datetime as dt
import zlib

import base45
import cbor2
import pytest

from yiwang.certificates.signing.qr import MESSAGES, PREFIX, qr_verify
from yiwang.certificates.tests.factories import NOW, PureKey, qr_text


def _verify(text: str, key: PureKey, **kwargs: object) -> str:
    result = qr_verify(
        text,
        keys=kwargs.get("keys", key.jwks),  # type: ignore[arg-type]
        revoked=kwargs.get("revoked", set()),  # type: ignore[arg-type]
        now=kwargs.get("now", NOW),  # type: ignore[arg-type]
    )
    assert result.message == MESSAGES[result.status]
    if result.status != "valid":
        assert result.fields == {}
    return result.status


def _rewrap(text: str, mutate: object) -> str:
    """Re-encode after changing the COSE structure, so zlib/Base45 stay intact and only the
    signature can notice."""
    tagged = cbor2.loads(zlib.decompress(base45.b45decode(text[len(PREFIX) :])))
    mutate(tagged.value)  # type: ignore[operator]
    return PREFIX + base45.b45encode(zlib.compress(cbor2.dumps(tagged))).decode()


def test_flipped_byte_in_signed_payload_is_invalid_signature() -> None:
    key = PureKey()

    def flip(value: list) -> None:  # type: ignore[type-arg]
        payload = bytearray(value[2])
        payload[-3] ^= 0x01
        value[2] = bytes(payload)

    assert _verify(_rewrap(qr_text(key), flip), key) == "invalid_signature"


def test_changed_field_value_is_invalid_signature() -> None:
    key = PureKey()

    def forge(value: list) -> None:  # type: ignore[type-arg]
        body = cbor2.loads(value[2])
        body[-260][1]["f"]["months"] = "999"
        value[2] = cbor2.dumps(body)

    assert _verify(_rewrap(qr_text(key), forge), key) == "invalid_signature"


def test_flipped_character_in_text_is_rejected() -> None:
    key = PureKey()
    text = qr_text(key)
    middle = len(text) // 2
    flipped = text[:middle] + ("A" if text[middle] != "A" else "B") + text[middle + 1 :]
    # The zlib checksum catches the change before the signature is even looked at.
    assert _verify(flipped, key) == "malformed"


def test_truncated_is_malformed() -> None:
    key = PureKey()
    text = qr_text(key)
    assert _verify(text[: len(text) - 10], key) == "malformed"
    assert _verify(PREFIX, key) == "malformed"


def test_unknown_key() -> None:
    key, other = PureKey(), PureKey()
    assert _verify(qr_text(key), key, keys=other.jwks) == "unknown_key"
    assert _verify(qr_text(key), key, keys={"keys": []}) == "unknown_key"


def test_signed_by_impostor_under_known_kid_is_invalid_signature() -> None:
    key, impostor = PureKey(), PureKey()
    impostor.kid = key.kid
    assert _verify(qr_text(impostor), key) == "invalid_signature"


def test_revoked() -> None:
    key = PureKey()
    assert _verify(qr_text(key), key, revoked={"44010620261125A1B2C3D4"}) == "revoked"
    assert _verify(qr_text(key), key, revoked={"OTHER"}) == "valid"


def test_expired_at_the_boundary() -> None:
    key = PureKey()
    text = qr_text(key)
    end = NOW + dt.timedelta(days=90)
    assert _verify(text, key, now=end - dt.timedelta(seconds=1)) == "valid"
    assert _verify(text, key, now=end) == "expired"


def test_revoked_wins_over_expired() -> None:
    key = PureKey()
    later = NOW + dt.timedelta(days=400)
    assert _verify(qr_text(key), key, revoked={"44010620261125A1B2C3D4"}, now=later) == "revoked"


def test_wrong_prefix_and_garbage() -> None:
    key = PureKey()
    text = qr_text(key)
    assert _verify("HC1:" + text[len(PREFIX) :], key) == "malformed"
    assert _verify(text[len(PREFIX) :], key) == "malformed"
    assert _verify("", key) == "malformed"
    assert _verify("YW1:!!!not base45###", key) == "malformed"
    assert _verify("YW1:" + base45.b45encode(b"hello").decode(), key) == "malformed"
    assert _verify(PREFIX + "A" * 5000, key) == "malformed"
    not_cose = PREFIX + base45.b45encode(zlib.compress(cbor2.dumps({"a": 1}))).decode()
    assert _verify(not_cose, key) == "malformed"


def test_keys_document_that_is_not_jwks_raises() -> None:
    key = PureKey()
    with pytest.raises(ValueError, match="not a JWKS document"):
        qr_verify(qr_text(key), keys={"nope": 1}, revoked=set(), now=NOW)
