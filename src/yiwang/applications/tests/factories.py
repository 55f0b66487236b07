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
from yiwang.catalog.tests.factories import published_item

PROCESSES = Path(__file__).resolve().parent.parent / "processes"
TWO_STEP = "individual_business_registration"
PARALLEL = "food_business_licence"
INSTANT = "social_insurance_certificate"
GOOD_FORM = {"phone": "13800138000", "seats": 20}


def bpmn(key: str) -> str:
    return (PROCESSES / f"{key}.bpmn").read_text()


def platform_admin() -> User:
    return StaffFactory(region_code="44", roles=["platform_admin"], department_kind="data")


def dmn(key: str) -> str:
    path = PROCESSES / f"{key}.dmn"
    return path.read_text() if path.exists() else ""


def installed(key: str) -> ProcessDefinition:
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
        region_code=region_code, kind=kind, impl={"process_ref": key, **impl}
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
