from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Assert English msgids unless a test switches to Chinese on purpose."""
    with translation.override("en"):
        yield
