from __future__ import annotations

import pytest
from django.test import Client

from yiwang.audit.services import personal_data_read
from yiwang.audit.tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/reads"


def test_my_reads_lists_who_department_when_why_and_fields(client: Client) -> None:
    reader = factories.staff(region_code="440106", display_name="王五", department="天河区数据局")
    me, other = factories.citizen(), factories.citizen()
    entry = personal_data_read(actor=reader, subject=me, purpose="审核申请", fields=["phone", "x"])
    personal_data_read(actor=reader, subject=other, purpose="other", fields=["phone"])
    client.force_login(me)

    response = client.get(URL, headers={"accept-language": "en"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "sequence": entry.sequence,
        "at": item["at"],
        "reader": "王五",
        "department": "天河区数据局",
        "purpose": "审核申请",
        "fields": ["phone", "x"],
        "field_labels": ["Mobile phone", "x"],
    }
    assert item["at"].startswith(entry.created_at.strftime("%Y-%m-%dT%H:%M:%S"))


def test_field_labels_follow_the_request_language(client: Client) -> None:
    reader = factories.staff(region_code="440106")
    me = factories.citizen()
    personal_data_read(actor=reader, subject=me, purpose="p", fields=["id_number"])
    client.force_login(me)

    response = client.get(URL, headers={"accept-language": "zh-hans"})

    assert response.json()["items"][0]["field_labels"] == ["居民身份证号码"]


def test_my_reads_are_paginated(client: Client) -> None:
    reader = factories.staff(region_code="440106")
    me = factories.citizen()
    for n in range(25):
        personal_data_read(actor=reader, subject=me, purpose=f"p{n}", fields=["phone"])
    client.force_login(me)

    first = client.get(URL).json()
    second = client.get(URL, {"page": 2}).json()

    assert first["count"] == second["count"] == 25
    assert [i["purpose"] for i in first["items"]][:2] == ["p24", "p23"]
    assert len(first["items"]) == 20
    assert [i["purpose"] for i in second["items"]] == ["p4", "p3", "p2", "p1", "p0"]


def test_my_reads_need_a_login(client: Client) -> None:
    response = client.get(URL, headers={"accept-language": "en"})

    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthenticated",
        "message": "Please log in first.",
        "details": None,
    }
