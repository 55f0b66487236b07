"""Demo data: install the three demo processes and point the demo items at them."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from yiwang.accounts.models import Department, DepartmentKind, User
from yiwang.applications.models import ProcessDefinition
from yiwang.applications.services import process_definition_install
from yiwang.catalog.demo.departments import department_name
from yiwang.catalog.models import Implementation
from yiwang.catalog.services import (
    implementation_version_draft,
    implementation_version_publish,
    implementation_version_update,
)

PROCESSES = Path(__file__).resolve().parent / "processes"
# Demo catalogue item code -> the BPMN process that handles it.
DEMO_LINKS = {
    "RS-0001": "social_insurance_certificate",  # 社会保险参保证明打印 (即办)
    "SJ-0001": "individual_business_registration",  # 个体工商户设立登记 (补正)
    "SJ-0003": "food_business_licence",  # 食品经营许可 (two departments)
}
# The second department of the parallel process (现场核查).
INSPECTION_KIND = DepartmentKind.HEALTH


@transaction.atomic
def applications_demo_load(*, admin: User) -> dict[str, int]:
    before = ProcessDefinition.objects.count()
    for key in sorted(set(DEMO_LINKS.values())):
        dmn = PROCESSES / f"{key}.dmn"
        process_definition_install(
            actor=admin,
            bpmn_xml=(PROCESSES / f"{key}.bpmn").read_text(),
            dmn_xml=dmn.read_text() if dmn.exists() else "",
        )
    installed = ProcessDefinition.objects.count() - before
    linked = 0
    implementations = Implementation.objects.filter(
        item__code__in=DEMO_LINKS, published_version__isnull=False
    ).select_related("item", "published_version", "region")
    for implementation in implementations:
        key = DEMO_LINKS[implementation.item.code]
        if key == "food_business_licence":
            name, name_en = department_name(implementation.region, INSPECTION_KIND)
            Department.objects.get_or_create(
                region=implementation.region,
                kind=INSPECTION_KIND,
                defaults={"name": name, "name_en": name_en},
            )
        published = implementation.published_version
        if published is None or published.process_ref == key:
            continue
        draft = implementation_version_draft(implementation=implementation, by=None)
        implementation_version_update(
            version=draft, content={"process_ref": key}, materials=None, by=None
        )
        implementation_version_publish(version=draft, by=None, skip_review=True)
        linked += 1
    return {"installed": installed, "linked": linked}
