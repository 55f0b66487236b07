from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def en_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def zh_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    return client
