"""Reads of the region tree. Regions are public reference data, so no reader scoping here:
scoping other records *by* region lives in ``yiwang.accounts.selectors.region_scope_q``.

Every function takes codes as users typed them: a malformed code raises a translated
``ValidationError``; a well-formed code that names no region raises ``Http404``.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from yiwang.regions.codes import region_code_clean
from yiwang.regions.models import CODE_LENGTHS, Region


def _with_has_children(qs: QuerySet[Region]) -> QuerySet[Region]:
    # Served by the (parent, code) index: one index probe per row.
    return qs.annotate(has_children=Exists(Region.objects.filter(parent_id=OuterRef("pk"))))


def region_get(*, code: str) -> Region:
    cleaned = region_code_clean(code)
    region = _with_has_children(Region.objects.filter(code=cleaned)).first()
    if region is None:
        raise Http404(cleaned)
    return region


def region_children(*, code: str = "") -> QuerySet[Region]:
    """The regions directly below ``code`` in code order; the provinces when ``code`` is empty."""
    if not code.strip():
        return _with_has_children(Region.objects.filter(parent__isnull=True)).order_by("code")
    cleaned = region_code_clean(code)
    if not Region.objects.filter(code=cleaned).exists():
        raise Http404(cleaned)
    return _with_has_children(Region.objects.filter(parent_id=cleaned)).order_by("code")


def region_path(*, code: str) -> list[Region]:
    """The regions from the province down to ``code`` itself, in that order."""
    cleaned = region_code_clean(code)
    prefixes = [cleaned[:length] for length in CODE_LENGTHS.values() if length <= len(cleaned)]
    path = list(_with_has_children(Region.objects.filter(code__in=prefixes)).order_by("level"))
    if len(path) != len(prefixes):
        # The node itself, or one of its ancestors, is not in the database.
        raise Http404(cleaned)
    return path


def region_subtree(*, code: str) -> QuerySet[Region]:
    """``code`` and every region below it (``code LIKE 'prefix%'``, indexed on PostgreSQL)."""
    root = region_get(code=code)
    return Region.objects.filter(code__startswith=root.code).order_by("code")


def region_is_within(*, code: str, ancestor_code: str) -> bool:
    """Whether ``code`` is ``ancestor_code`` or lies below it.

    Decided from the codes alone — the code structure makes the prefix test exact — so it
    needs no query and works for codes not imported yet.
    """
    cleaned = region_code_clean(code)
    ancestor = region_code_clean(ancestor_code, field="ancestor_code")
    return cleaned.startswith(ancestor)
