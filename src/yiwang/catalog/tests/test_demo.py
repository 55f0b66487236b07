# ruff: noqa: E501  (tables of cases read best one per line)
"""The demo catalogue: size, coverage of the issue's named items, idempotence, and that every
item is found first by its own name in either language."""

import pytest

from yiwang.catalog.demo.load import catalog_demo_load
from yiwang.catalog.models import Bundle, Implementation, ServiceItem
from yiwang.catalog.search import catalog_search

pytestmark = pytest.mark.django_db

NAMED = [
    "居民身份证申领", "居民身份证换领", "居民身份证补领", "户口迁移", "居住证办理", "结婚登记",
    "离婚登记", "出生医学证明", "新生儿入户", "社会保险参保证明打印", "失业保险金申领", "退休申请",
    "医保关系转移", "个体工商户设立登记", "企业设立登记", "食品经营许可", "公共场所卫生许可",
    "机动车驾驶证换证", "道路运输经营许可", "建筑工程施工许可", "无犯罪记录证明", "健康证明(从业人员)",
]  # fmt: skip


def test_demo_catalogue_is_complete_and_loading_it_again_changes_nothing():
    created = catalog_demo_load()

    items = ServiceItem.objects.filter(published_version__isnull=False)
    assert created["items"] == items.count() >= 40
    assert items.values("department_kind").distinct().count() >= 8
    names = set(items.values_list("published_version__name_zh", flat=True))
    assert [n for n in NAMED if n not in names] == []
    assert all(v.name_en and v.description_en for v in (i.published_version for i in items))
    assert set(Bundle.objects.values_list("name_zh", flat=True)) == {
        "开办餐饮店",
        "新生儿出生一件事",
        "退休一件事",
    }
    assert not items.filter(implementations__isnull=True).exists()

    again = catalog_demo_load()
    assert again == {"items": 0, "implementations": 0, "bundles": 0}
    assert Implementation.objects.count() == created["implementations"]


def test_every_item_is_found_first_by_its_name_in_both_languages():
    catalog_demo_load()
    missed = []
    for item in ServiceItem.objects.select_related("published_version"):
        version = item.published_version
        for name in (version.name_zh, version.name_en):
            hits = catalog_search(query=name, language="zh-hans", region_code="440106001").hits
            if not hits or hits[0].item != item:
                missed.append(
                    (
                        name,
                        hits[0].item.code
                        if hits and hits[0].item
                        else hits and hits[0].bundle.code,
                    )
                )

    assert missed == []
