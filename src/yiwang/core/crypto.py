"""Personal data at rest: authenticated encryption (Fernet, key rotation through MultiFernet)
and a keyed blind index (HMAC-SHA256) so that an encrypted column can still be looked up by
exact value without storing the value.

Keys come from settings (``FIELD_ENCRYPTION_KEYS``, newest first, and ``BLIND_INDEX_KEY``).
In development they are derived from ``SECRET_KEY`` so the demo needs no setup.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _derived_key(purpose: str) -> bytes:
    return hashlib.sha256(f"yiwang:{purpose}:{settings.SECRET_KEY}".encode()).digest()


def _keys() -> list[str]:
    return list(settings.FIELD_ENCRYPTION_KEYS) or [
        base64.urlsafe_b64encode(_derived_key("field-encryption")).decode()
    ]


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


@cache
def _blind_key() -> bytes:
    configured = settings.BLIND_INDEX_KEY
    return configured.encode() if configured else _derived_key("blind-index")


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def token_reencrypt(token: str) -> str | None:
    """``token`` encrypted with the newest key, or ``None`` when it already is.

    Rotation keeps the token's original timestamp (``MultiFernet.rotate``); a token no
    configured key can read raises ``InvalidToken``.
    """
    try:
        _primary_fernet().decrypt(token.encode())
    except InvalidToken:
        return _fernet().rotate(token.encode()).decode()
    return None


@cache
def _primary_fernet() -> Fernet:
    return Fernet(_keys()[0])


def encrypted_columns() -> list[tuple[type[models.Model], str, str]]:
    """Every (model, field name, column) stored with :class:`EncryptedTextField`."""
    from django.apps import apps

    return [
        (model, field.name, str(field.column))
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed, deterministic digest of ``value`` for equality look-ups.

    ``purpose`` separates namespaces, so an ID number and a phone with the same digits do not
    collide and one index cannot be joined against another.
    """
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(_blind_key(), message, hashlib.sha256).hexdigest()


def clear_key_cache() -> None:
    _fernet.cache_clear()
    _primary_fernet.cache_clear()
    _blind_key.cache_clear()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code sees plain text.

    It cannot be filtered on: pair it with a ``CharField`` holding ``blind_index(value)``.
    """

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return decrypt_text(value)
        except InvalidToken as exc:  # a key was lost or the row was tampered with
            raise ValueError(
                "Encrypted value cannot be decrypted with the configured keys"
            ) from exc

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))
