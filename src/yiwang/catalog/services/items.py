"""Use cases for service items (政务服务事项) and their versions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import User
from yiwang.audit.services import audit_log
from yiwang.catalog.models import ServiceItem, ServiceItemVersion, VersionStatus
from yiwang.catalog.permissions import check_can_edit, check_can_publish
from yiwang.catalog.search.index import search_document_refresh_item

MSG_CODE_TAKEN = _("An item with this code already exists.")
MSG_NOT_DRAFT = _("Only a draft can be changed or sent for review.")
MSG_NOT_IN_REVIEW = _("Only a version in review can be published or sent back.")
MSG_DRAFT_EXISTS = _("This item already has a draft or a version in review; continue that one.")
MSG_UNKNOWN_FIELD = _("Unknown field: %(name)s.")

ITEM_VERSION_FIELDS = frozenset(
    {
        "name_zh", "name_en", "short_name_zh", "short_name_en", "legal_basis_zh",
        "legal_basis_en", "description_zh", "description_en", "keywords_zh", "keywords_en",
    }
)  # fmt: skip


def _check_fields(content: dict[str, Any], allowed: frozenset[str]) -> None:
    for name in content:
        if name not in allowed:
            raise ValidationError(MSG_UNKNOWN_FIELD, code="unknown_field", params={"name": name})


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


@transaction.atomic
def _check_publishable(version: Any, *, by: User | None, skip_review: bool) -> None:
    """Only a version in review is published (a draft too for a reviewer-less import)."""
    allowed = {VersionStatus.IN_REVIEW} | (
        {VersionStatus.DRAFT} if skip_review and by is None else set()
    )
    if version.status not in allowed:
        raise ValidationError(MSG_NOT_IN_REVIEW, code="not_in_review")


def _make_current(owner: Any, version: Any, *, by: User | None) -> None:
    """Retire ``owner``'s published version and publish ``version`` in its place.

    ``owner`` is a service item or an implementation: both keep a ``published_version``.
    """
    now = timezone.now()
    previous = owner.published_version
    if previous is not None:
        previous.status = VersionStatus.RETIRED
        previous.retired_at = now
        previous.save(update_fields=["status", "retired_at"])
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    owner.published_version = version
    owner.save(update_fields=["published_version"])


def item_create(
    *,
    code: str,
    item_type: str,
    department_kind: str,
    region_level: int,
    persona: str,
    content: dict[str, Any],
    by: User | None,
) -> ServiceItemVersion:
    """Create an item and its first draft version; returns the draft."""
    check_can_edit(by, kind=department_kind)
    _check_fields(content, ITEM_VERSION_FIELDS)
    if ServiceItem.objects.filter(code=code).exists():
        raise ValidationError({"code": ValidationError(MSG_CODE_TAKEN, code="code_taken")})
    item = ServiceItem(
        code=code,
        item_type=item_type,
        department_kind=department_kind,
        region_level=region_level,
        persona=persona,
    )
    _full_clean(item, exclude=["published_version"])
    item.save()
    version = ServiceItemVersion(item=item, number=1, created_by=by, **content)
    _full_clean(version)
    version.save()
    return version


@transaction.atomic
def item_version_draft(*, item: ServiceItem, by: User | None) -> ServiceItemVersion:
    """A new draft copied from the latest version (the way to edit a published item)."""
    check_can_edit(by, kind=item.department_kind)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW]).exists():
        raise ValidationError(MSG_DRAFT_EXISTS, code="draft_exists")
    latest = item.versions.order_by("-number").first()
    content = {name: getattr(latest, name) for name in ITEM_VERSION_FIELDS} if latest else {}
    number = latest.number + 1 if latest else 1
    return ServiceItemVersion.objects.create(item=item, number=number, created_by=by, **content)


@transaction.atomic
def item_version_update(
    *, version: ServiceItemVersion, content: dict[str, Any], by: User | None
) -> ServiceItemVersion:
    check_can_edit(by, kind=version.item.department_kind)
    _check_fields(content, ITEM_VERSION_FIELDS)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(MSG_NOT_DRAFT, code="not_draft")
    for name, value in content.items():
        setattr(version, name, value)
    _full_clean(version)
    version.save()
    return version


@transaction.atomic
def item_version_submit(*, version: ServiceItemVersion, by: User | None) -> ServiceItemVersion:
    """Send a draft for review."""
    check_can_edit(by, kind=version.item.department_kind)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(MSG_NOT_DRAFT, code="not_draft")
    version.status = VersionStatus.IN_REVIEW
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def item_version_return(*, version: ServiceItemVersion, by: User | None) -> ServiceItemVersion:
    """A reviewer sends a version back to draft for changes."""
    check_can_publish(by, kind=version.item.department_kind, author_id=None)
    if version.status != VersionStatus.IN_REVIEW:
        raise ValidationError(MSG_NOT_IN_REVIEW, code="not_in_review")
    version.status = VersionStatus.DRAFT
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def item_version_publish(
    *, version: ServiceItemVersion, by: User | None, skip_review: bool = False
) -> ServiceItemVersion:
    """Publish a version in review, retiring the one published before it.

    ``skip_review`` is only for the platform itself (``by=None``: demo data, imports run by
    an operator), which publishes drafts directly.
    """
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    check_can_publish(by, kind=item.department_kind, author_id=version.created_by_id)
    _check_publishable(version, by=by, skip_review=skip_review)
    previous = item.published_version
    _make_current(item, version, by=by)
    search_document_refresh_item(item=item)
    audit_log(
        actor=by,
        action="catalog.item.published",
        target_type="catalog.ServiceItem",
        target_id=item.code,
        details={"version": version.number, "retired": previous.number if previous else None},
    )
    return version


@transaction.atomic
def item_retire(*, item: ServiceItem, by: User | None) -> ServiceItem:
    """Withdraw an item from the catalogue (its versions are kept)."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    check_can_publish(by, kind=item.department_kind, author_id=None)
    previous = item.published_version
    if previous is not None:
        item.published_version = None
        item.save(update_fields=["published_version"])
        previous.status = VersionStatus.RETIRED
        previous.retired_at = timezone.now()
        previous.save(update_fields=["status", "retired_at"])
        search_document_refresh_item(item=item)
        audit_log(
            actor=by, action="catalog.item.retired", target_type="catalog.ServiceItem",
            target_id=item.code,
        )  # fmt: skip
    return item
