"""Reads of the published catalogue. The catalogue is public, so scoping here is by the
reader's region (what is implemented where they live), not by permission; staff reads of
drafts live in ``selectors_staff``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from yiwang.accounts.models import Department
from yiwang.catalog.models import (
    Bundle,
    Channel,
    Implementation,
    Material,
    MaterialRequirement,
    ServiceItem,
    Trips,
    VersionStatus,
)
from yiwang.catalog.models.items import localized
from yiwang.catalog.search import implementations_serving

PUBLISHED_IMPLEMENTATIONS = Q(
    published_version__isnull=False, item__published_version__isnull=False
)


def items_published() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(published_version__isnull=False).select_related(
        "published_version"
    )


class ItemWithdrawn(Exception):
    """The item exists but is no longer published (retired)."""


def item_get_published(*, code: str) -> ServiceItem:
    """The item with ``code`` if it is published. Unknown codes are Http404; an item that
    was published and then withdrawn raises ItemWithdrawn so readers are told so."""
    item = items_published().filter(code=code).first()
    if item is None:
        withdrawn = ServiceItem.objects.filter(
            code=code, versions__status=VersionStatus.RETIRED
        ).exists()
        raise ItemWithdrawn if withdrawn else Http404
    return item


def item_implementations(
    *, item: ServiceItem, region_code: str | None = None
) -> QuerySet[Implementation]:
    """Published implementations of ``item`` serving ``region_code`` (all without one),
    the most local first."""
    return (
        Implementation.objects.filter(implementations_serving(region_code), item=item)
        .select_related("region", "department", "published_version")
        .order_by("-region_id")
    )


def implementation_get_published(*, pk: int) -> Implementation:
    implementation = (
        Implementation.objects.filter(PUBLISHED_IMPLEMENTATIONS, pk=pk)
        .select_related("item__published_version", "region", "department", "published_version")
        .prefetch_related(
            Prefetch("published_version__materials", queryset=Material.objects.order_by("position"))
        )
        .first()
    )
    if implementation is None:
        raise Http404
    return implementation


def implementation_related(*, implementation: Implementation) -> dict[str, list]:
    """Bundles the item belongs to, and the other items of those bundles."""
    bundles = list(
        Bundle.objects.filter(is_published=True, steps__item=implementation.item_id).distinct()
    )
    items = list(
        items_published().filter(bundles__in=bundles).exclude(pk=implementation.item_id).distinct()
    )
    return {"bundles": bundles, "items": items}


def items_browse(
    *,
    department_kind: str | None = None,
    persona: str | None = None,
    region_code: str | None = None,
) -> QuerySet[ServiceItem]:
    served = Implementation.objects.filter(implementations_serving(region_code))
    items = items_published().filter(pk__in=served.values("item_id"))
    if department_kind:
        items = items.filter(department_kind=department_kind)
    if persona:
        items = items.filter(persona__in=[persona, "both"])
    return items.order_by("department_kind", "code")


def items_popular(*, region_code: str | None = None, limit: int = 6) -> list[ServiceItem]:
    """The most viewed published items that the reader's region implements."""
    items = items_browse(region_code=region_code).filter(view_count__gt=0)
    return list(items.order_by("-view_count", "code")[:limit])


def bundle_list(*, persona: str | None = None) -> QuerySet[Bundle]:
    bundles = Bundle.objects.filter(is_published=True)
    if persona:
        bundles = bundles.filter(persona__in=[persona, "both"])
    return bundles


def bundle_get(*, code: str) -> Bundle:
    bundle = Bundle.objects.filter(is_published=True, code=code).first()
    if bundle is None:
        raise Http404
    return bundle


@dataclass
class BundleStep:
    item: ServiceItem
    implementation: Implementation | None  # the most local one serving the region


@dataclass
class MergedMaterial:
    """One material of a bundle's merged list: asked for once even if several items need it."""

    name_zh: str
    name_en: str
    form: str
    copies: int
    required: bool
    certificate_type: str
    needed_for: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)


def bundle_steps(*, bundle: Bundle, region_code: str | None = None) -> list[BundleStep]:
    steps = []
    for step in bundle.steps.select_related("item__published_version").order_by("position"):
        if step.item.published_version_id is None:
            continue
        implementation = item_implementations(item=step.item, region_code=region_code).first()
        steps.append(BundleStep(item=step.item, implementation=implementation))
    return steps


def bundle_materials(*, steps: list[BundleStep]) -> list[MergedMaterial]:
    """The materials of every step, de-duplicated: the same e-certificate type (or, without
    one, the same Chinese name) is one entry, required if any step requires it, with the
    largest number of copies any step asks for."""
    merged: dict[str, MergedMaterial] = {}
    for step in steps:
        if step.implementation is None or step.implementation.published_version is None:
            continue
        name = step.item.published_version.name  # type: ignore[union-attr]
        for m in step.implementation.published_version.materials.order_by("position"):
            key = m.reusable_certificate_type or m.name_zh
            entry = merged.get(key)
            if entry is None:
                entry = merged[key] = MergedMaterial(
                    name_zh=m.name_zh,
                    name_en=m.name_en,
                    form=m.form,
                    copies=m.copies,
                    required=m.requirement == MaterialRequirement.REQUIRED,
                    certificate_type=m.reusable_certificate_type,
                )
            entry.copies = max(entry.copies, m.copies)
            entry.required |= m.requirement == MaterialRequirement.REQUIRED
            if name not in entry.needed_for:
                entry.needed_for.append(name)
    return list(merged.values())


def department_list(
    *, region_code: str | None = None, kind: str | None = None
) -> QuerySet[Department]:
    """Departments that carry out at least one published item (serving the region)."""
    served = Implementation.objects.filter(implementations_serving(region_code))
    departments = Department.objects.filter(pk__in=served.values("department_id"))
    if kind:
        departments = departments.filter(kind=kind)
    return departments.select_related("region").order_by("region_id", "kind")


@dataclass(frozen=True)
class CatalogueFigures:
    implementations: int
    fully_online: int  # 网上可办: online channel and no trip
    zero_trip: int  # 零跑动

    @property
    def online_rate(self) -> float:
        return self.fully_online / self.implementations if self.implementations else 0.0

    @property
    def zero_trip_rate(self) -> float:
        return self.zero_trip / self.implementations if self.implementations else 0.0


def catalogue_figures(*, region_code: str) -> CatalogueFigures:
    """网上可办率 and 零跑动率 of the implementations inside ``region_code``'s subtree."""
    rows = Implementation.objects.filter(
        PUBLISHED_IMPLEMENTATIONS, region__code__startswith=region_code
    )
    zero = rows.filter(published_version__trips=Trips.ZERO)
    return CatalogueFigures(
        implementations=rows.count(),
        fully_online=zero.filter(
            published_version__channels__icontains=f'"{Channel.ONLINE}"'
        ).count(),
        zero_trip=zero.count(),
    )
