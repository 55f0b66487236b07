from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, transaction

from yiwang.audit.models import GENESIS_HASH, AuditEntry, AuditHead, AuditLogImmutable
from yiwang.audit.services import (
    MSG_FIELDS_REQUIRED,
    MSG_PURPOSE_REQUIRED,
    audit_log,
    personal_data_read,
)
from yiwang.audit.tests import factories
from yiwang.audit.verify import audit_verify
from yiwang.core.middleware import RequestMeta, current_request

pytestmark = pytest.mark.django_db


def test_entries_are_chained_in_sequence() -> None:
    first = audit_log(actor=None, action="system.start")
    second = audit_log(actor=None, action="system.stop", details={"reason": "test"})

    assert (first.sequence, second.sequence) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    assert first.entry_hash == first.compute_hash()
    stored = AuditEntry.objects.get(sequence=2)
    assert stored.compute_hash() == stored.entry_hash == second.entry_hash
    head = AuditHead.objects.get(pk=1)
    assert (head.last_sequence, head.last_hash) == (2, second.entry_hash)


def test_actor_snapshot_and_request_context_are_recorded() -> None:
    clerk = factories.staff(region_code="440106", display_name="李四", department="天河区数据局")
    token = current_request.set(RequestMeta(request_id="req-1", ip="203.0.113.9", user_agent="t"))
    try:
        entry = audit_log(
            actor=clerk,
            action="auth.login",
            target_type="user",
            target_id=clerk.pk,
            region_code="440106",
            purpose="sign in",
        )
    finally:
        current_request.reset(token)

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_id == clerk.pk
    assert entry.actor_name == "李四"
    assert entry.actor_kind == "staff"
    assert entry.actor_department == "天河区数据局"
    assert entry.actor_region_code == "440106"
    assert (entry.ip, entry.request_id) == ("203.0.113.9", "req-1")
    assert entry.target_id == str(clerk.pk)


def test_snapshot_survives_the_actor_changing_or_going() -> None:
    user = factories.UserFactory(display_name="Old name")
    entry = audit_log(actor=user, action="auth.login")
    user.display_name = "New name"
    user.save()
    user.delete()

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_name == "Old name"
    assert stored.actor_id == entry.actor_id
    assert audit_verify().ok


def test_details_are_stored_exactly_as_hashed() -> None:
    entry = audit_log(actor=None, action="x.y", details={"day": dt.date(2024, 5, 1), "n": (1, 2)})

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.details == {"day": "2024-05-01", "n": [1, 2]}
    assert stored.compute_hash() == stored.entry_hash


def test_empty_action_is_refused_and_nothing_written() -> None:
    with pytest.raises(ValidationError) as caught:
        audit_log(actor=None, action="")

    assert caught.value.code == "action_required"
    assert AuditEntry.objects.count() == 0


def test_entries_cannot_be_changed_or_deleted_through_the_orm() -> None:
    entry = audit_log(actor=None, action="x.y")

    entry.purpose = "rewritten"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="rewritten")
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).purpose == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_postgresql_trigger_refuses_update_and_delete() -> None:
    entry = audit_log(actor=None, action="x.y")

    for sql in (
        "UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).purpose == ""


def test_a_lost_head_row_is_rebuilt_from_the_chain() -> None:
    first = audit_log(actor=None, action="x.y")
    AuditHead.objects.all().delete()

    second = audit_log(actor=None, action="x.z")

    assert second.sequence == 2
    assert second.prev_hash == first.entry_hash
    assert audit_verify().ok


def test_personal_data_read_records_who_what_and_why() -> None:
    reader = factories.staff(region_code="440106", display_name="王五")
    subject = factories.citizen(region_code="440106001")

    entry = personal_data_read(
        actor=reader,
        subject=subject,
        purpose="  Reviewing application 42 ",
        fields=["real_name", "id_number", "real_name", " "],
    )

    assert entry.action == "personal_data.read"
    assert entry.subject_id == subject.pk
    assert entry.purpose == "Reviewing application 42"
    assert entry.details == {"fields": ["real_name", "id_number"]}
    assert (entry.target_type, entry.target_id) == ("user", str(subject.pk))
    assert entry.region_code == "440106001"


def test_personal_data_read_falls_back_to_the_readers_region() -> None:
    reader = factories.staff(region_code="440106")
    subject = factories.UserFactory()

    entry = personal_data_read(
        actor=reader,
        subject=subject,
        purpose="check",
        fields=["phone"],
        target_type="application",
        target_id="A-1",
    )

    assert entry.region_code == "440106"
    assert (entry.target_type, entry.target_id) == ("application", "A-1")


@pytest.mark.parametrize(
    ("purpose", "fields", "code", "message"),
    [
        ("   ", ["phone"], "purpose_required", MSG_PURPOSE_REQUIRED),
        ("check", [], "fields_required", MSG_FIELDS_REQUIRED),
        ("check", ["  "], "fields_required", MSG_FIELDS_REQUIRED),
    ],
)
def test_personal_data_read_needs_a_purpose_and_fields(
    purpose: str, fields: list[str], code: str, message: str
) -> None:
    reader = factories.staff(region_code="440106")
    subject = factories.citizen()

    with pytest.raises(ValidationError) as caught:
        personal_data_read(actor=reader, subject=subject, purpose=purpose, fields=fields)

    assert caught.value.code == code
    assert caught.value.messages == [str(message)]
    assert AuditEntry.objects.count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers with its database lock; the row lock matters on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_never_fork_the_chain() -> None:
    per_thread = 15
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_log(actor=None, action="test.concurrent", details={"w": worker, "i": i})
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, 3 * per_thread + 1))
    result = audit_verify()
    assert (result.ok, result.checked) == (True, 3 * per_thread)


def test_an_anonymous_actor_is_recorded_as_nobody() -> None:
    entry = audit_log(actor=AnonymousUser(), action="auth.login_failed")

    assert (entry.actor_id, entry.actor_name, entry.actor_kind) == (None, "", "")


def test_numbers_in_details_hash_the_same_after_the_database_round_trip() -> None:
    details = {"big": 1e20, "small": 1e-7, "half": 0.5, "nested": [{"n": 2.0}], "ok": True}
    entry = audit_log(actor=None, action="x.y", details=details)

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.compute_hash() == entry.entry_hash
    assert audit_verify().ok
