"""Production refuses to start with DEBUG on or without its secrets (checked in a fresh
interpreter, because settings are read once per process)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GOOD = {
    "YIWANG_ENV": "production",
    "SECRET_KEY": "x" * 50,
    "FIELD_ENCRYPTION_KEYS": "pBdnJ9cG7V7n3wWq5p1o6zC3uS0rT3o7dY8Qb9m2HkE=",
    "BLIND_INDEX_KEY": "y" * 40,
    "ALLOWED_HOSTS": "gov.example",
    "PUBLIC_URL": "https://gov.example",
    "DATABASE_URL": "sqlite:///:memory:",
}


def load_settings(**overrides: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in GOOD and k != "DEBUG"}
    env.update(GOOD)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    code = "import yiwang.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_production_starts_with_everything_set() -> None:
    result = load_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG must be off"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"FIELD_ENCRYPTION_KEYS": None}, "FIELD_ENCRYPTION_KEYS"),
        ({"BLIND_INDEX_KEY": None}, "BLIND_INDEX_KEY"),
        ({"PUBLIC_URL": None}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "http://gov.example"}, "PUBLIC_URL"),
    ],
)
def test_production_refuses_to_start(overrides: dict[str, str | None], message: str) -> None:
    result = load_settings(**overrides)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
