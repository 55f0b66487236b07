"""Load the demo catalogue: items, their implementations in 广东 cities and districts,
and the three life-event bundles. Idempotent: what already exists is left alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from yiwang.accounts.models import Department
from yiwang.catalog.demo.departments import department_name
from yiwang.catalog.demo.items import BUNDLES, ITEMS
from yiwang.catalog.demo.materials import MATERIALS
from yiwang.catalog.models import Bundle, Implementation, ServiceItem
from yiwang.catalog.services import (
    bundle_save,
    implementation_create,
    implementation_version_publish,
    item_create,
    item_version_publish,
)
from yiwang.regions.models import Region

# (code, name, English name, level, parent) — created only when import-regions has not.
DEMO_REGIONS = [
    ("44", "广东省", "Guangdong Province", 1, None),
    ("4401", "广州市", "Guangzhou", 2, "44"),
    ("440104", "越秀区", "Yuexiu District", 3, "4401"),
    ("440106", "天河区", "Tianhe District", 3, "4401"),
    ("4403", "深圳市", "Shenzhen", 2, "44"),
    ("440305", "南山区", "Nanshan District", 3, "4403"),
]
REGIONS_BY_LEVEL = {1: ["44"], 2: ["4401", "4403"], 3: ["440104", "440106", "440305"]}

STEPS = {
    0: [
        (
            "网上申请",
            "Apply online",
            "通过一网通办网站或手机提交申请和材料。",
            "Apply and upload documents on the website or your phone.",
        ),
        (
            "受理审核",
            "Review",
            "部门在承诺时限内审核。",
            "The department reviews your application within the promised time.",
        ),
        (
            "办结送达",
            "Result",
            "结果以电子证照发放，或免费邮寄。",
            "You get the result as an e-certificate, or it is posted to you free of charge.",
        ),
    ],
    1: [
        (
            "预约或网上预审",
            "Book or pre-check online",
            "网上提交材料预审，并预约办理时间。",
            "Have your documents pre-checked online and book a time.",
        ),
        (
            "窗口受理",
            "Visit the hall",
            "按预约时间携带原件到政务服务中心窗口。",
            "Bring the originals to the service hall at your booked time.",
        ),
        (
            "审核办结",
            "Review and result",
            "审核通过后邮寄或通知领取。",
            "Once approved, the result is posted or you are told to collect it.",
        ),
    ],
    2: [
        ("预约", "Book", "预约办理时间。", "Book a time."),
        ("现场申请", "Apply in person", "双方到场提交申请。", "Apply in person together."),
        (
            "现场领取",
            "Collect in person",
            "在规定时间后到场领取结果。",
            "Return after the set period to collect the result.",
        ),
    ],
}
CONTACT_FORM = {
    "type": "object",
    "title": {"zh": "网上申请表", "en": "Online application"},
    "properties": {
        "contact_phone": {
            "type": "string",
            "title": {"zh": "联系电话", "en": "Contact phone"},
            "pattern": "^1[3-9][0-9]{9}$",
        },
        "delivery": {
            "type": "string",
            "title": {"zh": "结果领取方式", "en": "How to receive the result"},
            "enum": ["electronic", "post", "collect"],
        },
        "notes": {
            "type": "string",
            "title": {"zh": "补充说明", "en": "Anything else we should know"},
            "maxLength": 500,
        },
    },
    "required": ["contact_phone", "delivery"],
}


def _regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, name_en, level, parent in DEMO_REGIONS:
        regions[code], _created = Region.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "level": level, "parent_id": parent},
        )
    return regions


def _material(key: str) -> dict[str, Any]:
    conditional = key.endswith("?")
    name_zh, name_en, form, copies, certificate = MATERIALS[key.rstrip("?")]
    return {
        "name_zh": name_zh,
        "name_en": name_en,
        "form": form,
        "copies": copies,
        "requirement": "conditional" if conditional else "required",
        "condition_zh": "视具体情形提供" if conditional else "",
        "condition_en": "Only if it applies to you" if conditional else "",
        "reusable_certificate_type": certificate,
    }


def _implementation_content(data: dict[str, Any], region: Region) -> dict[str, Any]:
    steps = STEPS[min(data["trips"], 2)]
    online = "online" in data["channels"]
    return {
        "conditions_zh": data["description_zh"],
        "conditions_en": data["description_en"],
        "procedure": [
            {"title_zh": a, "title_en": b, "detail_zh": c, "detail_en": d} for a, b, c, d in steps
        ],
        "legal_limit_days": data["legal_limit_days"],
        "promised_limit_days": data["promised_limit_days"],
        "fee_free": data["fee"] is None,
        "fee_amount": Decimal(data["fee"]) if data["fee"] else None,
        "fee_basis_zh": "按国家和广东省规定的收费标准" if data["fee"] else "",
        "fee_basis_en": "At the rate set by national and Guangdong rules" if data["fee"] else "",
        "channels": data["channels"],
        "trips": data["trips"],
        "halls_zh": f"{region.name}政务服务中心",
        "halls_en": f"{region.name_en or region.name} Government Service Centre",
        "form_schema": CONTACT_FORM if online else {},
        "process_ref": "instant" if data["promised_limit_days"] == 0 else "standard-review",
    }


def _item(data: dict[str, Any]) -> ServiceItem:
    existing = ServiceItem.objects.filter(code=data["code"]).first()
    if existing is not None:
        return existing
    content = {
        key: data[key]
        for key in (
            "name_zh", "name_en", "short_name_zh", "short_name_en", "legal_basis_zh",
            "legal_basis_en", "description_zh", "description_en", "keywords_zh", "keywords_en",
        )
    }  # fmt: skip
    version = item_create(
        code=data["code"],
        item_type=data["item_type"],
        department_kind=data["kind"],
        region_level=data["level"],
        persona=data["persona"],
        content=content,
        by=None,
    )
    item_version_publish(version=version, by=None, skip_review=True)
    version.item.refresh_from_db()
    return version.item


def _implementations(item: ServiceItem, data: dict[str, Any], regions: dict[str, Region]) -> int:
    created = 0
    for code in REGIONS_BY_LEVEL[data["level"]]:
        region = regions[code]
        department, _new = Department.objects.get_or_create(
            region=region,
            kind=data["kind"],
            defaults=dict(
                zip(("name", "name_en"), department_name(region, data["kind"]), strict=True)
            ),
        )
        if Implementation.objects.filter(item=item, department=department).exists():
            continue
        version = implementation_create(
            item=item,
            department=department,
            content=_implementation_content(data, region),
            materials=[_material(key) for key in data["materials"]],
            by=None,
        )
        implementation_version_publish(version=version, by=None, skip_review=True)
        created += 1
    return created


@transaction.atomic
def catalog_demo_load() -> dict[str, int]:
    """Create whatever of the demo catalogue is missing; return how much was created."""
    regions = _regions()
    items_before = ServiceItem.objects.count()
    bundles_before = Bundle.objects.count()
    implementations = 0
    for data in ITEMS:
        item = _item(data)
        implementations += _implementations(item, data, regions)
    for bundle in BUNDLES:
        if not Bundle.objects.filter(code=bundle["code"]).exists():
            fields = {k: v for k, v in bundle.items() if k != "items"}
            bundle_save(**fields, item_codes=bundle["items"], by=None)
    return {
        "items": ServiceItem.objects.count() - items_before,
        "implementations": implementations,
        "bundles": Bundle.objects.count() - bundles_before,
    }
