"""Project-wide pytest set-up: compiled translations, and no rate-limit or cache carry-over
between tests."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("YIWANG_ENV", "test")


def pytest_configure(config: pytest.Config) -> None:
    from yiwang.core.translations import translations_compile

    translations_compile()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()
