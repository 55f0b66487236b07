"""Project-wide pytest set-up: compiled translations, and no rate-limit or cache carry-over
between tests."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("YIWANG_ENV", "test")


def pytest_configure(config: pytest.Config) -> None:
    from yiwang.core.translations import translations_compile

    written = translations_compile()
    if written:
        # Django may already have cached catalogues read before these .mo files existed
        # (a fresh clone): forget them, as runserver's autoreloader does on a .mo change.
        from django.utils.translation.reloader import translation_file_changed

        translation_file_changed(sender=None, file_path=written[0])


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()
