"""Shapes of the public catalogue API. Texts come in both languages (``*_zh``, ``*_en``)
plus ``name`` in the request's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema


class SearchHitOut(Schema):
    kind: str  # "item" or "bundle"
    code: str
    name: str
    name_zh: str
    name_en: str
    score: float
    department_kind: str | None = None
    implementation_id: int | None = None
    region_code: str | None = None


class SearchOut(Schema):
    query: str
    language: str
    results: list[SearchHitOut]
    suggestions: list[str]


class ImplementationSummaryOut(Schema):
    id: int
    region_code: str
    region_name: str
    department: str
    promised_limit_days: int
    trips: int
    channels: list[str]


class ItemOut(Schema):
    code: str
    item_type: str
    department_kind: str
    region_level: int
    persona: str
    version: int
    name: str
    name_zh: str
    name_en: str
    short_name_zh: str
    short_name_en: str
    legal_basis_zh: str
    legal_basis_en: str
    description_zh: str
    description_en: str
    implementations: list[ImplementationSummaryOut]


class MaterialOut(Schema):
    name_zh: str
    name_en: str
    form: str
    copies: int
    requirement: str
    condition_zh: str
    condition_en: str
    notes_zh: str
    notes_en: str
    reusable_certificate_type: str


class ImplementationOut(Schema):
    id: int
    item_code: str
    item_version: int
    version: int
    name: str
    name_zh: str
    name_en: str
    region_code: str
    department: str
    department_en: str
    conditions_zh: str
    conditions_en: str
    procedure: list[dict[str, str]]
    legal_limit_days: int
    promised_limit_days: int
    same_day: bool
    fee_free: bool
    fee_amount: Decimal | None
    fee_basis_zh: str
    fee_basis_en: str
    channels: list[str]
    trips: int
    halls_zh: str
    halls_en: str
    form_schema: dict[str, Any]
    process_ref: str
    materials: list[MaterialOut]


class BundleSummaryOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    persona: str


class MergedMaterialOut(Schema):
    name_zh: str
    name_en: str
    form: str
    copies: int
    required: bool
    certificate_type: str
    needed_for: list[str]


class BundleStepOut(Schema):
    item_code: str
    name_zh: str
    name_en: str
    implementation_id: int | None


class BundleOut(BundleSummaryOut):
    description_zh: str
    description_en: str
    steps: list[BundleStepOut]
    materials: list[MergedMaterialOut]


class DepartmentOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    region_code: str


class WorkingDayOut(Schema):
    date: dt.date
    is_working_day: bool


class AddWorkingDaysOut(Schema):
    date: dt.date
    days: int
    result: dt.date


class FiguresOut(Schema):
    region_code: str
    implementations: int
    fully_online: int
    zero_trip: int
    online_rate: float
    zero_trip_rate: float
