"""Demo data: install the three demo processes, point the demo items at them (with the online
forms their certificates need), and carry the demo citizen through them so the wallet holds
certificates that came from approvals:

- RS-0001 社会保险参保证明: submitted and approved by the rules → 社会保险参保证明
- SJ-0001 个体工商户设立登记: accepted and approved by clerk.tianhe → 个体工商户营业执照
- SJ-0001 again: waiting in the market-regulation pool for the clerk
- SJ-0003 食品经营许可: the business licence offered instead of an upload (免提交), accepted
  and reviewed by clerk.tianhe, waiting at 现场核查 for inspector.tianhe (天河区卫生健康局)

Each case is found again by its demo note, so running the command twice changes nothing.
"""

from __future__ import annotations

import copy
import uuid
from pathlib import Path
from typing import Any

from django.db import transaction

from yiwang.accounts.models import CitizenProfile, Department, DepartmentKind, User
from yiwang.applications.models import Application, ProcessDefinition, WorkItemStatus
from yiwang.applications.services import (
    application_draft_save,
    application_material_certificate_link,
    application_submit,
    process_definition_install,
    task_claim,
    task_complete,
)
from yiwang.catalog.demo.departments import department_name
from yiwang.catalog.demo.load import CONTACT_FORM
from yiwang.catalog.models import Implementation
from yiwang.catalog.services import (
    implementation_version_draft,
    implementation_version_publish,
    implementation_version_update,
)
from yiwang.core.crypto import blind_index

PROCESSES = Path(__file__).resolve().parent / "processes"
# Demo catalogue item code -> the BPMN process that handles it.
DEMO_LINKS = {
    "RS-0001": "social_insurance_certificate",  # 社会保险参保证明打印 (即办)
    "SJ-0001": "individual_business_registration",  # 个体工商户设立登记 (补正)
    "SJ-0003": "food_business_licence",  # 食品经营许可 (two departments)
}
# The second department of the parallel process (现场核查).
INSPECTION_KIND = DepartmentKind.HEALTH
# The catalogue lists "营业执照" for 食品经营许可; for a sole trader it is the 个体工商户营业执照
# that SJ-0001 issues, so the demo lets that certificate stand in for the upload (免提交).
MATERIAL_CERTIFICATE_FIXES = {"business_licence": "individual_business_licence"}


def _text(zh: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": {"zh": zh, "en": en}, **extra}


_MONTH = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"
# The fields each certificate is filled from (applications.certificate_data), on top of the
# catalogue's contact form.
EXTRA_FIELDS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "social_insurance_certificate": (
        {
            "insurance_types": _text(
                "参保险种",
                "Insurance types",
                enum=["养老、医疗、失业、工伤、生育", "养老、医疗", "医疗"],
            ),
            "insured_since": _text(
                "参保起始年月（如 2015-07）",
                "Insured since (e.g. 2015-07)",
                pattern=_MONTH,
            ),
        },
        ["insurance_types", "insured_since"],
    ),
    "individual_business_registration": (
        {
            "business_name": _text("个体工商户名称", "Business name", maxLength=60),
            "business_scope": _text("经营范围", "Business scope", maxLength=200),
            "premises_address": _text("经营场所", "Business premises", maxLength=200),
        },
        ["business_name", "business_scope", "premises_address"],
    ),
    "food_business_licence": (
        {
            "operator_name": _text(
                "经营者名称（已提交营业执照的可不填）",
                "Operator (leave empty if you offer your business licence)",
                maxLength=60,
            ),
            "main_business": _text(
                "主体业态",
                "Type of business",
                enum=["餐饮服务经营者", "食品销售经营者", "单位食堂"],
            ),
            "food_items": _text("经营项目", "Licensed items", maxLength=200),
            "premises_address": _text("经营场所", "Business premises", maxLength=200),
        },
        ["main_business", "food_items", "premises_address"],
    ),
}


def demo_form_schema(key: str) -> dict[str, Any]:
    schema: dict[str, Any] = copy.deepcopy(CONTACT_FORM)
    fields, required = EXTRA_FIELDS[key]
    notes = schema["properties"].pop("notes", None)
    schema["properties"].update(copy.deepcopy(fields))
    if notes is not None:
        schema["properties"]["notes"] = notes
    schema["required"] = [*schema.get("required", []), *required]
    return schema


def _needs_update(implementation: Implementation, key: str) -> bool:
    published = implementation.published_version
    if published is None:
        return False
    # A department's own decision table re-points the implementation to "<key>@<id>": keep it.
    own_key = published.process_ref.split("@")[0]
    if own_key != key or published.form_schema != demo_form_schema(key):
        return True
    return published.materials.filter(
        reusable_certificate_type__in=MATERIAL_CERTIFICATE_FIXES
    ).exists()


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
        if not _needs_update(implementation, key):
            continue
        draft = implementation_version_draft(implementation=implementation, by=None)
        implementation_version_update(
            version=draft,
            content={"process_ref": key, "form_schema": demo_form_schema(key)},
            materials=None,
            by=None,
        )
        for wrong, right in MATERIAL_CERTIFICATE_FIXES.items():
            draft.materials.filter(reusable_certificate_type=wrong).update(
                reusable_certificate_type=right
            )
        implementation_version_publish(version=draft, by=None, skip_review=True)
        linked += 1
    return {"installed": installed, "linked": linked}


DEMO_PHONE = "13800138000"
CLERK = "clerk.tianhe"
CITIZEN_REGION = "440106"
BUSINESS = {
    "contact_phone": DEMO_PHONE,
    "delivery": "electronic",
    "business_name": "天河区李明小吃店",
    "business_scope": "小吃服务；预包装食品销售",
    "premises_address": "广州市天河区石牌街道华师路12号首层",
}
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "instant": (
        "RS-0001",
        {
            "contact_phone": DEMO_PHONE,
            "delivery": "electronic",
            "insurance_types": "养老、医疗、失业、工伤、生育",
            "insured_since": "2015-07",
        },
    ),
    "licence": ("SJ-0001", BUSINESS),
    "pool": ("SJ-0001", {**BUSINESS, "business_name": "天河区李明便利店"}),
    "food": (
        "SJ-0003",
        {
            "contact_phone": DEMO_PHONE,
            "delivery": "electronic",
            "main_business": "餐饮服务经营者",
            "food_items": "热食类食品制售",
            "premises_address": BUSINESS["premises_address"],
        },
    ),
}


def _note(case: str) -> str:
    return f"演示办件 {case}"


def _implementation_for(code: str) -> Implementation | None:
    """The demo item's implementation serving 天河区 (the demo citizen's district)."""
    candidates = Implementation.objects.filter(
        item__code=code, published_version__isnull=False
    ).select_related("published_version")
    best = None
    for implementation in candidates:
        if CITIZEN_REGION.startswith(implementation.region_id) and (
            best is None or len(implementation.region_id) > len(best.region_id)
        ):
            best = implementation
    return best


def _submit(user: User, case: str) -> Application | None:
    code, form = CASES[case]
    implementation = _implementation_for(code)
    if implementation is None:
        return None
    application = application_draft_save(
        user=user, implementation=implementation, form_data={**form, "notes": _note(case)}
    )
    if case == "food":
        _offer_licence(user, application)
    return application_submit(user=user, application=application, submit_token=uuid.uuid4())


def _offer_licence(user: User, application: Application) -> None:
    material = application.implementation_version.materials.filter(
        reusable_certificate_type="individual_business_licence"
    ).first()
    licence = user.certificates.filter(certificate_type__code="individual_business_licence").first()
    if material is not None and licence is not None:
        application_material_certificate_link(
            user=user, application=application, material=material, number=licence.number
        )


def _act(staff: User, application: Application, step: str, action: str) -> None:
    item = application.items.get(bpmn_id=step, status=WorkItemStatus.OPEN)
    task_claim(user=staff, item_id=item.pk)
    task_complete(user=staff, item_id=item.pk, action=action)


@transaction.atomic
def applications_demo_cases(*, citizen: User, clerk: User) -> dict[str, str]:
    """The demo citizen's cases (see the module docstring): case -> application number."""
    done: dict[str, str] = {}
    for case in CASES:
        existing = Application.objects.filter(applicant=citizen, form_data__notes=_note(case))
        found = existing.first()
        if found is not None:
            done[case] = found.number
            continue
        application = _submit(citizen, case)
        if application is None:
            continue
        if case == "licence":
            _act(clerk, application, "accept", "accept")
            _act(clerk, application, "review", "approve")
        elif case == "food":
            _act(clerk, application, "accept", "accept")
            _act(clerk, application, "review", "complete")
        application.refresh_from_db()
        done[case] = application.number
    return done


def demo_citizen() -> User | None:
    profile = (
        CitizenProfile.objects.select_related("user")
        .filter(phone_index=blind_index(DEMO_PHONE, purpose="phone"))
        .first()
    )
    return profile.user if profile is not None else None
