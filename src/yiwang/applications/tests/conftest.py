from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _certificate_types(request: pytest.FixtureRequest) -> None:
    """The demo processes issue certificates of these types (checked when installing)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from yiwang.certificates.tests.factories import certificate_types

    certificate_types()
