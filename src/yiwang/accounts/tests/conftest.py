from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def en_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def zh_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
