"""Scoping (other region or department line = not found), the audited contact read and
the satisfaction roll-ups."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from yiwang.accounts.tests.factories import StaffFactory
from yiwang.audit.models import ACTION_PERSONAL_DATA_READ, AuditEntry
from yiwang.reviews import selectors, services
from yiwang.reviews.tests.factories import (
    bad_order,
    citizen,
    finished_application,
    rate,
    served_booking,
)

pytestmark = pytest.mark.django_db


def test_a_clerk_sees_orders_of_their_line_in_their_region_only() -> None:
    order = bad_order(region_code="440106")
    clerk = StaffFactory(region_code="440106")
    neighbour = StaffFactory(region_code="440104")
    health = StaffFactory(region_code="440106", department_kind="health")
    city_supervisor = StaffFactory(region_code="4401", roles=["supervisor"], department_kind="data")

    assert list(selectors.orders_for_staff(user=clerk)) == [order]
    assert list(selectors.orders_for_staff(user=city_supervisor)) == [order]
    for outsider in (neighbour, health):
        assert list(selectors.orders_for_staff(user=outsider)) == []
        with pytest.raises(Http404):
            selectors.order_get_for_staff(user=outsider, pk=order.pk)


def test_citizens_and_community_workers_cannot_list_orders() -> None:
    worker = StaffFactory(region_code="440106", roles=["community_worker"])
    with pytest.raises(PermissionDenied):
        selectors.orders_for_staff(user=worker)
    with pytest.raises(PermissionDenied):
        selectors.orders_for_staff(user=citizen())


def test_filters_overdue_and_sorting() -> None:
    first, second = bad_order(), bad_order()
    clerk = StaffFactory(region_code="440106")
    type(first).objects.filter(pk=first.pk).update(deadline="2020-01-02")

    assert list(selectors.orders_for_staff(user=clerk, status="overdue")) == [first]
    assert list(selectors.orders_for_staff(user=clerk, sort="-deadline")) == [second, first]
    assert list(selectors.orders_for_staff(user=clerk, status="resolved")) == []


def test_reading_the_named_reviewers_contact_is_an_audited_personal_data_read() -> None:
    order = bad_order(named=True)
    clerk = StaffFactory(region_code="440106")

    contact = selectors.reviewer_contact_for_staff(user=clerk, order=order, purpose="差评回访")

    profile = order.rating.rater.citizen
    assert contact.name == profile.real_name and contact.phone == profile.phone
    entry = AuditEntry.objects.get(action=ACTION_PERSONAL_DATA_READ)
    assert entry.purpose == "差评回访"
    assert entry.target_id == order.reference
    assert profile.real_name not in selectors.reviewer_masked(order)


def test_an_anonymous_reviewer_cannot_be_revealed() -> None:
    order = bad_order(named=False)
    clerk = StaffFactory(region_code="440106")
    with pytest.raises(Http404):
        selectors.reviewer_contact_for_staff(user=clerk, order=order, purpose="回访")
    assert selectors.reviewer_masked(order) == ""
    assert not AuditEntry.objects.filter(action=ACTION_PERSONAL_DATA_READ).exists()


def test_satisfaction_rolls_up_by_each_dimension_within_a_region_prefix() -> None:
    users = [citizen() for _ in range(4)]
    resolved = bad_order(named=False)
    clerk = StaffFactory(region_code="440106")
    services.order_result_record(order=resolved, by=clerk, result="已整改", public_summary="x")
    rate(user=users[0], subject=finished_application(user=users[0]), level=5)
    rate(user=users[1], subject=finished_application(user=users[1]), level=3)
    rate(user=users[2], subject=served_booking(user=users[2]), level=1)
    rate(
        user=users[3],
        subject=finished_application(user=users[3], region_code="440104"),
        level=4,
    )

    [tianhe] = selectors.satisfaction_by(dimension="region", region_code="440106")
    assert tianhe.key == "440106" and tianhe.total == 4
    assert tianhe.counts == {5: 1, 4: 0, 3: 1, 2: 1, 1: 1}
    assert tianhe.satisfied_rate == 0.5
    assert tianhe.average == round((5 + 3 + 2 + 1) / 4, 2)
    assert (tianhe.bad, tianhe.rectified, tianhe.rectification_rate) == (2, 1, 0.5)

    city = {
        r.key: r.total for r in selectors.satisfaction_by(dimension="region", region_code="4401")
    }
    assert city == {"440106": 4, "440104": 1}
    halls = selectors.satisfaction_by(dimension="hall", region_code="4401")
    assert [(r.total, r.bad) for r in halls] == [(1, 1)]
    assert halls[0].name_zh.startswith("测试政务服务中心")
    assert sum(r.total for r in selectors.satisfaction_by(dimension="item")) == 5
    assert sum(r.total for r in selectors.satisfaction_by(dimension="department")) == 5


def test_each_roll_up_is_one_query(django_assert_num_queries: object) -> None:
    user = citizen()
    rate(user=user, subject=finished_application(user=user), level=5)
    for dimension in ("item", "department", "hall"):
        with django_assert_num_queries(1):  # type: ignore[operator]
            selectors.satisfaction_by(dimension=dimension, region_code="44")


def test_a_supervisor_sees_the_order_but_not_the_reviewers_contact() -> None:
    order = bad_order(named=True)
    supervisor = StaffFactory(region_code="4401", roles=["supervisor"], department_kind="data")

    assert selectors.order_get_for_staff(user=supervisor, pk=order.pk) == order
    with pytest.raises(PermissionDenied):
        selectors.reviewer_contact_for_staff(user=supervisor, order=order, purpose="查看")


def test_regions_group_by_the_level_below_the_readers_region() -> None:
    users = [citizen() for _ in range(2)]
    rate(user=users[0], subject=finished_application(user=users[0], region_code="440106006"))
    rate(user=users[1], subject=finished_application(user=users[1], region_code="440106001"))

    keys = {r.key for r in selectors.satisfaction_by(dimension="region", region_code="440106")}
    assert keys == {"440106006", "440106001"}
    assert [r.key for r in selectors.satisfaction_by(dimension="region", region_code="4401")] == [
        "440106"
    ]
