"""Which department a question goes to, and why.

A question about a service goes to the department that carries the service out for the
asker's region: the most local published implementation among the region's ancestors (the
catalogue's own rule for which guide a citizen sees). A general question, or one about a
service nobody implements for that region, goes to the nearest government services and data
bureau (数据局) above the asker — failing that, the nearest people's government.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Department, DepartmentKind
from yiwang.catalog.models import Implementation, ServiceItem
from yiwang.catalog.selectors import item_implementations
from yiwang.consult.models import RoutingReason
from yiwang.regions.models import CODE_LENGTHS

MSG_NO_DEPARTMENT = _(
    "No department takes questions for your region yet. Please call the 12345 hotline."
)


@dataclass(frozen=True)
class Route:
    department: Department
    implementation: Implementation | None
    reason: str


def region_prefixes(region_code: str) -> list[str]:
    """``region_code`` and every code above it, the province first."""
    return [region_code[:n] for n in sorted(CODE_LENGTHS.values()) if n <= len(region_code)]


def _coordinating_department(region_code: str) -> Department | None:
    prefixes = region_prefixes(region_code)
    for kind in (DepartmentKind.DATA, DepartmentKind.GOVERNMENT):
        found = (
            Department.objects.filter(kind=kind, region_id__in=prefixes)
            .order_by("-region_id")
            .first()
        )
        if found is not None:
            return found
    return None


def question_route(*, region_code: str, item: ServiceItem | None) -> Route:
    """Where a question from ``region_code`` (about ``item``, or general) is answered."""
    if item is not None:
        implementation = item_implementations(item=item, region_code=region_code).first()
        if implementation is not None:
            return Route(implementation.department, implementation, RoutingReason.ITEM)
    department = _coordinating_department(region_code)
    if department is None:
        raise ValidationError(MSG_NO_DEPARTMENT, code="no_department")
    reason = RoutingReason.ITEM_NOT_SERVED if item is not None else RoutingReason.GENERAL
    return Route(department, None, reason)
