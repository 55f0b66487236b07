"""``/api/v1/audit``: a citizen's view of who read their personal data."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from yiwang.audit import selectors
from yiwang.audit.models import AuditEntry

router = Router(tags=["audit"])


class DataReadOut(Schema):
    sequence: int
    at: dt.datetime
    reader: str
    department: str
    purpose: str
    fields: list[str]
    field_labels: list[str]

    @staticmethod
    def resolve_at(entry: AuditEntry) -> dt.datetime:
        return entry.created_at

    @staticmethod
    def resolve_reader(entry: AuditEntry) -> str:
        return entry.actor_name

    @staticmethod
    def resolve_department(entry: AuditEntry) -> str:
        return entry.actor_department

    @staticmethod
    def resolve_fields(entry: AuditEntry) -> list[str]:
        return list(entry.details.get("fields", []))


@router.get("/reads", response=list[DataReadOut], summary="Who read my personal data")
@paginate(PageNumberPagination, page_size=20)
def my_data_reads(request: HttpRequest) -> QuerySet[AuditEntry]:
    """Every time staff were shown your personal data: who, their department, when, why and
    which fields. Newest first."""
    return selectors.audit_reads_for_subject(user=request.user)
