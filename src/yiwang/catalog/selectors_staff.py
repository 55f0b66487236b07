"""Staff reads of catalogue drafts: what a department admin may edit and what a reviewer
has to review, scoped through accounts' department rule (``department_scope_q``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from yiwang.accounts.models import User
from yiwang.accounts.selectors import department_scope_q, region_scope_q
from yiwang.catalog.models import (
    Implementation,
    ImplementationVersion,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
)


def _kind_scope(user: User) -> dict[str, str]:
    """``department_scope_q`` works on a path to a Department; items carry only its kind,
    so translate the Q into a filter on ``department_kind``."""
    q = department_scope_q(user=user, field="department")
    for child in q.children:
        if isinstance(child, tuple) and child[0] == "department__kind":
            return {"department_kind": str(child[1])}
    return {}


def items_for_staff(*, user: User) -> QuerySet[ServiceItem]:
    return (
        ServiceItem.objects.filter(**_kind_scope(user))
        .select_related("published_version")
        .prefetch_related("versions")
        .order_by("code")
    )


def item_get_for_staff(*, user: User, code: str) -> ServiceItem:
    item = items_for_staff(user=user).filter(code=code).first()
    if item is None:
        raise Http404
    return item


def item_versions_in_review(*, user: User) -> QuerySet[ServiceItemVersion]:
    scope = {f"item__{k}": v for k, v in _kind_scope(user).items()}
    return (
        ServiceItemVersion.objects.filter(status=VersionStatus.IN_REVIEW, **scope)
        .select_related("item", "created_by")
        .order_by("created_at")
    )


def item_version_get_for_staff(*, user: User, pk: int) -> ServiceItemVersion:
    scope = {f"item__{k}": v for k, v in _kind_scope(user).items()}
    version = ServiceItemVersion.objects.filter(pk=pk, **scope).select_related("item").first()
    if version is None:
        raise Http404
    return version


def item_open_version(item: ServiceItem) -> ServiceItemVersion | None:
    """The item's draft or version in review, if any."""
    return (
        item.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW])
        .order_by("-number")
        .first()
    )


def implementations_for_staff(*, user: User, item: ServiceItem) -> QuerySet[Implementation]:
    """The item's implementations inside the staff member's region and department line."""
    return (
        Implementation.objects.filter(item=item)
        .filter(region_scope_q(user=user, field="region__code"))
        .filter(department_scope_q(user=user, field="department"))
        .select_related("region", "department", "published_version")
        .order_by("region_id")
    )


def implementation_get_for_staff(*, user: User, pk: int) -> Implementation:
    implementation = (
        Implementation.objects.filter(pk=pk)
        .filter(region_scope_q(user=user, field="region__code"))
        .filter(department_scope_q(user=user, field="department"))
        .select_related("item", "region", "department", "published_version")
        .first()
    )
    if implementation is None:
        raise Http404
    return implementation


def implementation_open_version(implementation: Implementation) -> ImplementationVersion | None:
    return (
        implementation.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW])
        .order_by("-number")
        .first()
    )


def implementation_version_get_for_staff(*, user: User, pk: int) -> ImplementationVersion:
    version = ImplementationVersion.objects.filter(pk=pk).select_related("implementation").first()
    if version is None:
        raise Http404
    implementation_get_for_staff(user=user, pk=version.implementation_id)
    return version
