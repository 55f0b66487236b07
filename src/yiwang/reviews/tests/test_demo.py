"""The demo: the demo citizen's bad rating with an open order, a spread of ratings, and
running it twice changes nothing."""

from __future__ import annotations

import pytest

from yiwang.accounts.models import CitizenProfile
from yiwang.applications.models import Application
from yiwang.core.crypto import blind_index
from yiwang.reviews.demo import reviews_demo_load
from yiwang.reviews.models import OrderStatus, Rating, RectificationOrder, ResultFeedback
from yiwang.reviews.tests.factories import citizen, finished_application

pytestmark = pytest.mark.django_db


def test_the_demo_citizens_decided_application_is_rated_badly_once() -> None:
    user = citizen()
    profile = CitizenProfile.objects.get(user=user)
    CitizenProfile.objects.filter(pk=profile.pk).update(
        phone_index=blind_index("13800138000", purpose="phone")
    )
    application: Application = finished_application(user=user)

    first = reviews_demo_load()
    second = reviews_demo_load()

    rating = Rating.objects.get(rater=user)
    assert rating.subject_ref == application.number and rating.level == 2 and rating.is_named
    assert rating.order.status == OrderStatus.OPEN
    assert first["order"] == second["order"] == rating.order.reference
    assert second["ratings"] == 0
    assert Rating.objects.filter(rater=user).count() == 1


def test_the_spread_has_verdicts_only_on_rectified_orders_and_adds_none_twice() -> None:
    from yiwang.catalog.tests.factories import published_item

    for region_code in ("440103", "440104", "440105", "440106"):
        for kind in ("market_regulation", "health", "civil_affairs", "human_resources"):
            published_item(region_code=region_code, kind=kind)
    first = reviews_demo_load()
    verdicts = ResultFeedback.objects.count()
    reviews_demo_load()

    assert first["ratings"] > 0 and verdicts > 0 and ResultFeedback.objects.count() == verdicts
    resolved = RectificationOrder.objects.filter(status=OrderStatus.RESOLVED)
    assert not ResultFeedback.objects.exclude(order__in=resolved).exists()
    assert all(f.result == f.order.result for f in ResultFeedback.objects.select_related("order"))
