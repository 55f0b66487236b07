"""Staff scoping: region subtree and department line; who may see the shipping list."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from yiwang.accounts.tests.factories import StaffFactory
from yiwang.delivery.selectors import (
    application_delivery_for_citizen,
    order_get_for_staff,
    orders_for_staff,
    orders_get_for_staff,
)

from .factories import citizen, clerk, posted

pytestmark = pytest.mark.django_db


def test_clerk_sees_own_region_and_line_only() -> None:
    mine = posted()
    posted(region_code="440104")  # another district
    posted(kind="health")  # another department line
    assert list(orders_for_staff(user=clerk())) == [mine]
    with pytest.raises(Http404):
        order_get_for_staff(user=clerk(region_code="440104"), pk=mine.pk)


def test_city_hall_manager_of_the_data_bureau_sees_every_line_below() -> None:
    district, health = posted(), posted(kind="health")
    manager = StaffFactory(region_code="4401", roles=["hall_manager"], department_kind="data")
    assert set(orders_for_staff(user=manager)) == {district, health}


def test_roles_without_shipping_work_are_refused() -> None:
    posted()
    for roles in (["supervisor"], ["community_worker"]):
        with pytest.raises(PermissionDenied):
            orders_for_staff(user=StaffFactory(roles=roles))
    with pytest.raises(PermissionDenied):
        orders_for_staff(user=citizen())


def test_a_sheet_of_labels_with_one_order_out_of_scope_is_404() -> None:
    mine, theirs = posted(), posted(region_code="440104")
    with pytest.raises(Http404):
        orders_get_for_staff(user=clerk(), pks=[mine.pk, theirs.pk])
    assert orders_get_for_staff(user=clerk(), pks=[mine.pk]) == [mine]


def test_citizen_panel_of_someone_elses_application_is_404() -> None:
    order = posted()
    with pytest.raises(Http404):
        application_delivery_for_citizen(user=citizen(), number=order.application.number)
    data = application_delivery_for_citizen(
        user=order.application.applicant, number=order.application.number
    )
    assert data.orders == [order] and data.can_choose and not data.result_shipped
