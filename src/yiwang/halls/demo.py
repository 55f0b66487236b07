"""Demo halls in 广州: the city centre, two district centres and a street service station,
with windows for the demo catalogue's implementations, a slot template each and slots for
the next working days. Idempotent: what exists is updated in place, never duplicated."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from yiwang.catalog.models import Implementation
from yiwang.halls.models import Hall, HallLevel, SlotTemplate, Window
from yiwang.halls.services import slots_generate
from yiwang.regions.models import Region

WEEKDAYS = {str(n): [["09:00", "12:00"], ["13:00", "17:00"]] for n in range(5)}
DEMO_DAYS = 10


@dataclass(frozen=True)
class DemoHall:
    region: str  # where the hall is (its region FK)
    serves: str  # the region whose implementations its windows handle
    level: str
    name_zh: str
    name_en: str
    address_zh: str
    address_en: str
    latitude: str
    longitude: str
    phone: str


HALLS = [
    DemoHall("4401", "4401", HallLevel.CITY, "广州市政务服务中心",
             "Guangzhou Government Service Centre", "广州市天河区天府路1号",
             "1 Tianfu Road, Tianhe District, Guangzhou", "23.136100", "113.361900",
             "020-12345"),
    DemoHall("440106", "440106", HallLevel.COUNTY, "天河区政务服务中心",
             "Tianhe District Government Service Centre", "广州市天河区华观路1933号",
             "1933 Huaguan Road, Tianhe District, Guangzhou", "23.173600", "113.390200",
             "020-38622345"),
    DemoHall("440106006", "440106", HallLevel.TOWNSHIP, "石牌街道便民服务站",
             "Shipai Subdistrict Service Station", "广州市天河区石牌东路38号",
             "38 Shipai East Road, Tianhe District, Guangzhou", "23.134200", "113.337900",
             "020-85210000"),
    DemoHall("440104", "440104", HallLevel.COUNTY, "越秀区政务服务中心",
             "Yuexiu District Government Service Centre", "广州市越秀区东风中路318号",
             "318 Dongfeng Middle Road, Yuexiu District, Guangzhou", "23.131800", "113.267600",
             "020-83001234"),
]  # fmt: skip


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None and code == "440106006":
        # Present when import-regions ran (the full demo); created here for a bare catalogue.
        region = Region.objects.create(
            code=code, name="石牌街道", name_en="Shipai Subdistrict", level=4,
            parent=Region.objects.get(code="440106"),
        )  # fmt: skip
    if region is None:
        raise Region.DoesNotExist(f"region {code} missing: run demo-catalog first")
    return region


def _implementations(region_code: str) -> list[Implementation]:
    return list(
        Implementation.objects.filter(region_id=region_code, published_version__isnull=False)
        .select_related("department")
        .order_by("item__code")
    )


def _hall(spec: DemoHall) -> Hall:
    hall, _ = Hall.objects.update_or_create(
        name_zh=spec.name_zh,
        defaults={
            "name_en": spec.name_en, "level": spec.level, "region": _region(spec.region),
            "address_zh": spec.address_zh, "address_en": spec.address_en,
            "latitude": Decimal(spec.latitude), "longitude": Decimal(spec.longitude),
            "phone": spec.phone, "opening_hours": WEEKDAYS, "is_active": True,
        },
    )  # fmt: skip
    return hall


def _windows(hall: Hall, implementations: list[Implementation], *, township: bool) -> None:
    if township:
        # A street station handles the everyday personal services only (就近办).
        implementations = implementations[:6]
    half = (len(implementations) + 1) // 2
    groups = [
        (1, "综合受理窗口", "General window", implementations),
        (2, "综合受理窗口", "General window", implementations[:half]),
        (3, "专项业务窗口", "Specialist window", implementations[half:]),
    ]
    for number, name_zh, name_en, served in groups[: 2 if township else 3]:
        window, _ = Window.objects.update_or_create(
            hall=hall, number=number, defaults={"name_zh": name_zh, "name_en": name_en}
        )
        window.implementations.set(served)
    template, _ = SlotTemplate.objects.update_or_create(
        hall=hall, name_zh="综合预约",
        defaults={"name_en": "General appointments", "slot_minutes": 30,
                  "capacity": 2 if township else 4, "is_active": True},
    )  # fmt: skip
    template.implementations.set(implementations)


@transaction.atomic
def halls_demo_load() -> dict[str, int]:
    for spec in HALLS:
        hall = _hall(spec)
        _windows(hall, _implementations(spec.serves), township=spec.level == HallLevel.TOWNSHIP)
    slots = slots_generate(days=DEMO_DAYS)
    return {"halls": len(HALLS), "slots": slots}
