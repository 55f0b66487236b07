"""Turning catalogue objects into API payloads (kept out of api.py so endpoints stay thin)."""

from __future__ import annotations

from typing import Any

from yiwang.catalog.models import Bundle, Implementation, ServiceItem
from yiwang.catalog.search import SearchHit, SearchResult
from yiwang.catalog.selectors import BundleStep, MergedMaterial


def search_payload(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "language": result.language,
        "suggestions": result.suggestions,
        "results": [_hit(h) for h in result.hits],
    }


def _hit(hit: SearchHit) -> dict[str, Any]:
    if hit.bundle is not None:
        b = hit.bundle
        return {"kind": "bundle", "code": b.code, "name": b.name, "name_zh": b.name_zh,
                "name_en": b.name_en, "score": hit.score}  # fmt: skip
    item = hit.item
    assert item is not None and item.published_version is not None  # noqa: S101 - search contract
    v, impl = item.published_version, hit.implementation
    return {
        "kind": "item", "code": item.code, "name": v.name, "name_zh": v.name_zh,
        "name_en": v.name_en, "score": hit.score, "department_kind": item.department_kind,
        "implementation_id": impl.pk if impl else None,
        "region_code": impl.region_id if impl else None,
    }  # fmt: skip


def implementation_summary(impl: Implementation) -> dict[str, Any]:
    v = impl.published_version
    assert v is not None  # noqa: S101 - selectors return published implementations only
    return {
        "id": impl.pk, "region_code": impl.region_id, "region_name": impl.region.localized_name,
        "department": impl.department.name, "promised_limit_days": v.promised_limit_days,
        "trips": v.trips, "channels": v.channels,
    }  # fmt: skip


def item_payload(item: ServiceItem, implementations: list[Implementation]) -> dict[str, Any]:
    v = item.published_version
    assert v is not None  # noqa: S101
    texts = {
        name: getattr(v, name)
        for name in ("name_zh", "name_en", "short_name_zh", "short_name_en", "legal_basis_zh",
                     "legal_basis_en", "description_zh", "description_en")
    }  # fmt: skip
    return {
        "code": item.code, "item_type": item.item_type, "department_kind": item.department_kind,
        "region_level": item.region_level, "persona": item.persona, "version": v.number,
        "name": v.name, **texts,
        "implementations": [implementation_summary(i) for i in implementations],
    }  # fmt: skip


def implementation_payload(impl: Implementation) -> dict[str, Any]:
    v, iv = impl.published_version, impl.item.published_version
    assert v is not None and iv is not None  # noqa: S101
    fields = (
        "conditions_zh", "conditions_en", "procedure", "legal_limit_days", "promised_limit_days",
        "fee_free", "fee_amount", "fee_basis_zh", "fee_basis_en", "channels", "trips",
        "halls_zh", "halls_en", "form_schema", "process_ref",
    )  # fmt: skip
    return {
        "id": impl.pk, "item_code": impl.item.code, "item_version": iv.number,
        "version": v.number, "name": iv.name, "name_zh": iv.name_zh, "name_en": iv.name_en,
        "region_code": impl.region_id, "department": impl.department.name,
        "department_en": impl.department.name_en, "same_day": v.is_same_day,
        **{name: getattr(v, name) for name in fields},
        "materials": list(v.materials.all()),
    }  # fmt: skip


def bundle_payload(
    bundle: Bundle, steps: list[BundleStep], materials: list[MergedMaterial]
) -> dict[str, Any]:
    return {
        "code": bundle.code, "name": bundle.name, "name_zh": bundle.name_zh,
        "name_en": bundle.name_en, "persona": bundle.persona,
        "description_zh": bundle.description_zh, "description_en": bundle.description_en,
        "steps": [
            {"item_code": s.item.code, "name_zh": s.item.published_version.name_zh,  # type: ignore[union-attr]
             "name_en": s.item.published_version.name_en,  # type: ignore[union-attr]
             "implementation_id": s.implementation.pk if s.implementation else None}
            for s in steps
        ],
        "materials": materials,
    }  # fmt: skip
