"""Two clerks shipping the same parcel at the same moment: exactly one tracking number."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from yiwang.delivery.models import DeliveryEvent
from yiwang.delivery.services import order_ship

from .factories import clerk, posted


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_double_ship_at_once_exactly_one_wins() -> None:
    assert connection.vendor == "postgresql"
    order = posted()
    clerks = [clerk(), clerk(), clerk()]
    barrier = threading.Barrier(len(clerks))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: object, n: int) -> None:
        try:
            barrier.wait()
            order_ship(order=order, by=user, carrier="ems", tracking_number=f"EA00000000{n}CN")
            result = "ok"
        except ValidationError as exc:
            result = str(exc.code)
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(u, n)) for n, u in enumerate(clerks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_shipped", "already_shipped", "ok"]
    order.refresh_from_db()
    assert order.tracking_number.startswith("EA")
    assert DeliveryEvent.objects.filter(order=order, kind="shipped").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_double_resend_at_once_opens_one_new_parcel() -> None:
    from yiwang.delivery.models import DeliveryOrder
    from yiwang.delivery.services import order_resend, order_status_record

    from .factories import shipped

    returned, _ = order_status_record(order=shipped(), status="returned", source="carrier")
    clerks = [clerk(), clerk()]
    barrier = threading.Barrier(len(clerks))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: object) -> None:
        try:
            barrier.wait()
            order_resend(order=returned, by=user)
            result = "ok"
        except ValidationError as exc:
            result = str(exc.code)
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(u,)) for u in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "resend_exists"]
    assert DeliveryOrder.objects.filter(resent_from=returned).count() == 1
