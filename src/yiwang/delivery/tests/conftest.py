from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _callback_secret(settings: pytest.FixtureRequest) -> None:
    settings.DELIVERY_CALLBACK_SECRET = "test-secret"  # type: ignore[attr-defined]
    settings.DELIVERY_CARRIER = "yiwang.delivery.carriers.FakeCarrier"  # type: ignore[attr-defined]
