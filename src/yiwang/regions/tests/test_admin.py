from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from yiwang.regions.models import Region
from yiwang.regions.tests.factories import region_chain

pytestmark = pytest.mark.django_db


def test_admin_is_read_only_and_searches_code_prefix_and_name(rf: RequestFactory) -> None:
    region_chain(["44", "4401", "440106"], names=["广东省", "广州市", "天河区"])
    region_chain(["44", "4403"], names=["广东省", "深圳市"])
    model_admin = admin.site._registry[Region]
    request = rf.get("/admin/regions/region/")

    by_code, _ = model_admin.get_search_results(request, Region.objects.all(), "4401")
    by_name, _ = model_admin.get_search_results(request, Region.objects.all(), "深圳")

    assert sorted(r.code for r in by_code) == ["4401", "440106"]
    assert [r.code for r in by_name] == ["4403"]
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.list_filter == ("level",)
