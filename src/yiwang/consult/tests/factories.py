"""Consultation test data, built through the services.

item, impl = published_item(code="T-1", region_code="440106")
question = ask(citizen_user, item=item)
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from yiwang.accounts.models import DepartmentKind, User
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory, chain_for
from yiwang.catalog.tests.factories import department_for
from yiwang.consult import services
from yiwang.consult.models import Question

_serial = itertools.count(1)


def citizen(region_code: str = "440106006002", **kwargs: Any) -> User:
    return CitizenFactory(region=chain_for(region_code)[-1], **kwargs).user


def data_bureau(region_code: str = "4401") -> Any:
    return department_for(region_code, DepartmentKind.DATA)


def ask(
    asker: User, *, item: Any = None, title: str | None = None, body: str = "请问怎么办？"
) -> Question:
    data_bureau()
    return services.question_ask(
        asker=asker,
        item=item,
        title=title or f"测试咨询{next(_serial)}",
        body=body,
        submit_token=uuid.uuid4(),
    )


def clerk(
    region_code: str = "440106", kind: str = DepartmentKind.MARKET_REGULATION, **kw: Any
) -> User:
    return StaffFactory(region_code=region_code, department_kind=kind, **kw)
