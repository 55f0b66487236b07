from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yiwang.audit.forms import AuditFilterForm
from yiwang.audit.models import ACTION_LABELS, AuditEntry, audit_action_register
from yiwang.audit.selectors import audit_entries_for_staff, audit_reads_for_subject
from yiwang.audit.services import audit_log, personal_data_read
from yiwang.audit.tests import factories

pytestmark = pytest.mark.django_db


def test_reads_for_subject_are_only_reads_of_my_data_newest_first() -> None:
    reader = factories.staff(region_code="440106")
    me, other = factories.citizen(), factories.citizen()
    first = personal_data_read(actor=reader, subject=me, purpose="a", fields=["phone"])
    personal_data_read(actor=reader, subject=other, purpose="b", fields=["phone"])
    audit_log(actor=reader, action="auth.login", subject=me)
    last = personal_data_read(actor=reader, subject=me, purpose="c", fields=["real_name"])

    reads = list(audit_reads_for_subject(user=me))

    assert [entry.pk for entry in reads] == [last.pk, first.pk]


@pytest.fixture
def log() -> dict[str, AuditEntry]:
    tianhe = factories.staff(region_code="440106")
    shenzhen = factories.staff(region_code="4403")
    return {
        "tianhe": audit_log(actor=None, action="auth.login", region_code="440106001"),
        "by_tianhe_staff": audit_log(actor=tianhe, action="auth.logout", region_code=""),
        "guangzhou": audit_log(actor=None, action="auth.login", region_code="4401"),
        "shenzhen": audit_log(actor=shenzhen, action="auth.login", region_code="4403"),
    }


def test_platform_admin_sees_every_entry(log: dict[str, AuditEntry]) -> None:
    admin = factories.staff(region_code="44", roles=("platform_admin",))

    entries = audit_entries_for_staff(user=admin)

    assert {e.pk for e in entries} == {e.pk for e in log.values()}


def test_supervisor_sees_their_region_subtree_and_their_staff(log: dict[str, AuditEntry]) -> None:
    supervisor = factories.staff(region_code="440106", roles=("supervisor", "clerk"))

    entries = audit_entries_for_staff(user=supervisor)

    assert [e.pk for e in entries] == [log["by_tianhe_staff"].pk, log["tianhe"].pk]


def test_city_supervisor_sees_the_whole_city(log: dict[str, AuditEntry]) -> None:
    supervisor = factories.staff(region_code="4401", roles=("supervisor",))

    entries = audit_entries_for_staff(user=supervisor)

    assert {e.pk for e in entries} == {
        log["tianhe"].pk,
        log["by_tianhe_staff"].pk,
        log["guangzhou"].pk,
    }


@pytest.mark.parametrize("kind", ["clerk", "citizen", "anonymous"])
def test_others_may_not_read_the_audit_log(kind: str, log: dict[str, AuditEntry]) -> None:
    user = {
        "clerk": lambda: factories.staff(region_code="44", roles=("clerk", "reviewer")),
        "citizen": factories.citizen,
        "anonymous": AnonymousUser,
    }[kind]()

    with pytest.raises(PermissionDenied):
        audit_entries_for_staff(user=user)


def test_filters_by_action_and_date(log: dict[str, AuditEntry]) -> None:
    admin = factories.staff(region_code="44", roles=("platform_admin",))
    today = timezone.localdate(log["tianhe"].created_at)  # dates are local (Asia/Shanghai)

    logins = audit_entries_for_staff(user=admin, action="auth.login")
    today_entries = audit_entries_for_staff(user=admin, date_from=today, date_to=today)
    tomorrow = audit_entries_for_staff(user=admin, date_from=today + dt.timedelta(days=1))
    yesterday = audit_entries_for_staff(user=admin, date_to=today - dt.timedelta(days=1))

    assert {e.pk for e in logins} == {log["tianhe"].pk, log["guangzhou"].pk, log["shenzhen"].pk}
    assert today_entries.count() == 4
    assert (tomorrow.count(), yesterday.count()) == (0, 0)


def test_later_apps_can_name_their_actions(log: dict[str, AuditEntry]) -> None:
    audit_action_register(action="test.registered", label="Registered for a test")
    try:
        entry = audit_log(actor=None, action="test.registered")
        form = AuditFilterForm({"action": "test.registered"})

        assert entry.action_label == "Registered for a test"
        assert form.is_valid(), form.errors
    finally:
        ACTION_LABELS.pop("test.registered")
    assert not AuditFilterForm({"action": "test.registered"}).is_valid()
