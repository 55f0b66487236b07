"""Use cases for life-event bundles (一件事一次办)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import User
from yiwang.catalog.models import Bundle, BundleItem, ServiceItem
from yiwang.catalog.permissions import check_can_publish
from yiwang.catalog.search.index import search_document_refresh_bundle

MSG_UNKNOWN_ITEMS = _("These item codes are unknown or not published: %(codes)s.")
MSG_BUNDLE_EMPTY = _("A life event needs at least two service items.")


@transaction.atomic
def bundle_save(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    persona: str,
    item_codes: list[str],
    description_zh: str = "",
    description_en: str = "",
    keywords_zh: str = "",
    keywords_en: str = "",
    is_published: bool = True,
    by: User | None,
) -> Bundle:
    """Create or replace a bundle; its items must be published. Bundles span departments,
    so only the coordinating departments' reviewers (or the platform) maintain them."""
    check_can_publish(by, kind="government", author_id=None)
    if len(set(item_codes)) < 2:
        raise ValidationError(MSG_BUNDLE_EMPTY, code="bundle_empty")
    items = {
        i.code: i
        for i in ServiceItem.objects.filter(code__in=item_codes, published_version__isnull=False)
    }
    missing = [c for c in item_codes if c not in items]
    if missing:
        raise ValidationError(
            MSG_UNKNOWN_ITEMS, code="unknown_items", params={"codes": ", ".join(missing)}
        )
    bundle, _created = Bundle.objects.update_or_create(
        code=code,
        defaults={
            "name_zh": name_zh, "name_en": name_en, "persona": persona,
            "description_zh": description_zh, "description_en": description_en,
            "keywords_zh": keywords_zh, "keywords_en": keywords_en,
            "is_published": is_published,
        },
    )  # fmt: skip
    bundle.full_clean()
    bundle.steps.all().delete()
    BundleItem.objects.bulk_create(
        BundleItem(bundle=bundle, item=items[c], position=n)
        for n, c in enumerate(dict.fromkeys(item_codes))
    )
    search_document_refresh_bundle(bundle=bundle)
    return bundle
