"""Catalogue test data, built through the services (so the search index follows).

item = draft_item(code="T-1", name_zh="测试事项")          # item + draft v1
item, impl = published_item(code="T-1", region_code="440106")
"""

from __future__ import annotations

import itertools
from typing import Any

from yiwang.accounts.models import Department, DepartmentKind
from yiwang.accounts.tests.factories import chain_for
from yiwang.catalog.models import (
    Implementation,
    ImplementationVersion,
    ServiceItem,
    ServiceItemVersion,
)
from yiwang.catalog.services import (
    implementation_create,
    implementation_version_publish,
    item_create,
    item_version_publish,
)

_serial = itertools.count(1)

FORM_SCHEMA = {
    "type": "object",
    "title": {"zh": "申请表", "en": "Application"},
    "properties": {
        "phone": {
            "type": "string",
            "title": {"zh": "电话", "en": "Phone"},
            "pattern": "^1[3-9][0-9]{9}$",
        },
        "shop_name": {"type": "string", "title": {"zh": "店名", "en": "Shop"}, "maxLength": 10},
        "seats": {
            "type": "integer",
            "title": {"zh": "座位数", "en": "Seats"},
            "minimum": 1,
            "maximum": 500,
        },
        "area": {"type": "number", "title": {"zh": "面积", "en": "Area"}, "minimum": 0},
        "opening": {"type": "string", "format": "date", "title": {"zh": "开业", "en": "Opening"}},
        "kind": {
            "type": "string",
            "enum": ["cafe", "restaurant"],
            "title": {"zh": "类型", "en": "Kind"},
        },
        "agree": {"type": "boolean", "title": {"zh": "同意", "en": "Agree"}},
    },
    "required": ["phone", "seats"],
}


def item_content(**overrides: Any) -> dict[str, Any]:
    n = next(_serial)
    content = {
        "name_zh": f"测试事项{n}",
        "name_en": f"Test item {n}",
        "description_zh": "测试用事项。",
        "description_en": "An item for tests.",
    }
    content.update(overrides)
    return content


def impl_content(**overrides: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "conditions_zh": "年满十八周岁。",
        "conditions_en": "Aged 18 or over.",
        "procedure": [{"title_zh": "网上申请", "title_en": "Apply online"}],
        "legal_limit_days": 20,
        "promised_limit_days": 5,
        "channels": ["online", "mobile"],
        "trips": 0,
        "form_schema": FORM_SCHEMA,
        "process_ref": "standard-review",
    }
    content.update(overrides)
    return content


MATERIAL = {
    "name_zh": "居民身份证",
    "name_en": "Identity card",
    "form": "original",
    "copies": 1,
    "requirement": "required",
    "reusable_certificate_type": "resident_id_card",
}


def draft_item(
    *, code: str | None = None, kind: str = DepartmentKind.MARKET_REGULATION, **content: Any
) -> ServiceItemVersion:
    return item_create(
        code=code or f"T-{next(_serial):04d}",
        item_type="licensing",
        department_kind=kind,
        region_level=3,
        persona="personal",
        content=item_content(**content),
        by=None,
    )


def department_for(region_code: str, kind: str = DepartmentKind.MARKET_REGULATION) -> Department:
    region = chain_for(region_code)[-1]
    department, _ = Department.objects.get_or_create(
        region=region, kind=kind, defaults={"name": f"{region.code}{kind}"}
    )
    return department


def draft_implementation(
    item: ServiceItem,
    *,
    region_code: str = "440106",
    materials: list[dict[str, Any]] | None = None,
    **content: Any,
) -> ImplementationVersion:
    return implementation_create(
        item=item,
        department=department_for(region_code, item.department_kind),
        content=impl_content(**content),
        materials=[MATERIAL] if materials is None else materials,
        by=None,
    )


def published_item(
    *,
    code: str | None = None,
    kind: str = DepartmentKind.MARKET_REGULATION,
    region_code: str = "440106",
    impl: dict[str, Any] | None = None,
    **content: Any,
) -> tuple[ServiceItem, Implementation]:
    version = draft_item(code=code, kind=kind, **content)
    item_version_publish(version=version, by=None, skip_review=True)
    item = ServiceItem.objects.get(pk=version.item_id)
    impl_version = draft_implementation(item, region_code=region_code, **(impl or {}))
    implementation_version_publish(version=impl_version, by=None, skip_review=True)
    return item, Implementation.objects.get(pk=impl_version.implementation_id)
