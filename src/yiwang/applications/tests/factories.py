"""Applications test data: installed demo processes and implementations that use them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yiwang.accounts.models import DepartmentKind, User
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory
from yiwang.applications.models import Application, ProcessDefinition
from yiwang.applications.services import (
    application_draft_save,
    process_definition_install,
)
from yiwang.catalog.models import Implementation
from yiwang.catalog.tests.factories import FORM_SCHEMA, published_item
from yiwang.certificates.tests.factories import certificate_types

PROCESSES = Path(__file__).resolve().parent.parent / "processes"
TWO_STEP = "individual_business_registration"
PARALLEL = "food_business_licence"
INSTANT = "social_insurance_certificate"
# What the three demo processes' certificates need (see applications.certificate_data).
CERTIFICATE_FORM = {
    "business_name": "李记小吃",
    "business_scope": "小吃服务",
    "premises_address": "天河区石牌街道测试路1号",
    "insurance_types": "养老、医疗",
    "insured_since": "2015-07",
    "operator_name": "李记小吃",
    "credit_code": "92440106MA5ABCDE1X",
    "main_business": "餐饮服务经营者",
    "food_items": "热食类食品制售",
}
FULL_FORM_SCHEMA = {
    **FORM_SCHEMA,
    "properties": {
        **FORM_SCHEMA["properties"],
        **{
            key: {"type": "string", "title": {"zh": key, "en": key}, "maxLength": 200}
            for key in CERTIFICATE_FORM
        },
    },
}
GOOD_FORM = {"phone": "13800138000", "seats": 20, **CERTIFICATE_FORM}


def bpmn(key: str) -> str:
    return (PROCESSES / f"{key}.bpmn").read_text()


def platform_admin() -> User:
    return StaffFactory(region_code="44", roles=["platform_admin"], department_kind="data")


def dmn(key: str) -> str:
    path = PROCESSES / f"{key}.dmn"
    return path.read_text() if path.exists() else ""


def installed(key: str) -> ProcessDefinition:
    certificate_types()
    return process_definition_install(actor=platform_admin(), bpmn_xml=bpmn(key), dmn_xml=dmn(key))


def implementation_for(
    key: str,
    *,
    region_code: str = "440106",
    kind: str = DepartmentKind.MARKET_REGULATION,
    **impl: Any,
) -> Implementation:
    installed(key)
    _, implementation = published_item(
        region_code=region_code,
        kind=kind,
        impl={"process_ref": key, "form_schema": FULL_FORM_SCHEMA, **impl},
    )
    return implementation


def citizen() -> User:
    return CitizenFactory().user


def draft(
    key: str = TWO_STEP,
    *,
    user: User | None = None,
    form: dict[str, Any] | None = None,
    **impl: Any,
) -> Application:
    return application_draft_save(
        user=user or citizen(),
        implementation=implementation_for(key, **impl),
        form_data=GOOD_FORM if form is None else form,
    )


def clerk(region_code: str = "440106", kind: str = DepartmentKind.MARKET_REGULATION) -> User:
    return StaffFactory(region_code=region_code, department_kind=kind)
