"""Pages: the fragment on a service's page, the rating form, my ratings, the public pages,
and the staff order, appeal and statistics pages, in both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts.tests.factories import StaffFactory, staff_client_login
from yiwang.reviews import services
from yiwang.reviews.models import OrderStatus, Rating
from yiwang.reviews.tests.factories import (
    bad_order,
    citizen,
    finished_application,
    rate,
    scores,
    served_booking,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _citizen_client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_fragment_offers_a_rating_until_the_window_closes_in_both_languages() -> None:
    user = citizen()
    application = finished_application(user=user)
    url = reverse("reviews:subject_fragment", args=["application", application.number])
    client = _citizen_client(user)

    english = client.get(url, **EN).content.decode()
    chinese = client.get(url).content.decode()

    assert "Rate this service" in english and "You can rate it until" in english
    assert "评价本次服务" in chinese
    assert reverse("reviews:rate", args=["application", application.number]) in english


def test_the_fragment_is_empty_for_an_unfinished_service_and_anonymous_visitors() -> None:
    user = citizen()
    running = finished_application(user=user, status="under_review")
    url = reverse("reviews:subject_fragment", args=["application", running.number])
    assert _citizen_client(user).get(url).content.strip() == b""
    assert Client().get(url).content == b""


def test_someone_elses_subject_is_404_on_every_page() -> None:
    application = finished_application()
    client = _citizen_client(citizen())
    for name in ("subject_fragment", "rate"):
        url = reverse(f"reviews:{name}", args=["application", application.number])
        assert client.get(url).status_code == 404


def test_the_rating_page_says_the_window_and_rates_an_appointment() -> None:
    user = citizen()
    booking = served_booking(user=user)
    url = reverse("reviews:rate", args=["appointment", booking.pk])
    client = _citizen_client(user)

    page = client.get(url, **EN).content.decode()
    assert "within 15 days after it finished" in page
    assert "Attitude" in page and "Accuracy of the guide" not in page
    assert 'type="radio" value="1"' in page and "<legend" in page

    form = {"level": "4", "comment": "", "named": "1"}
    form.update({f"score_{k}": str(v) for k, v in scores("hall").items()})
    response = client.post(url, form)

    assert response.status_code == 302
    assert Rating.objects.get().hall == booking.hall
    thanks = client.get(response["Location"], **EN).content.decode()
    assert "Thank you for your rating" in thanks


def test_a_bad_rating_without_comment_shows_errors_in_chinese() -> None:
    user = citizen()
    application = finished_application(user=user)
    url = reverse("reviews:rate", args=["application", application.number])
    form = {"level": "1", "comment": "", "named": "1", "score_overall": "1"}

    response = _citizen_client(user).post(url, form)

    page = response.content.decode()
    assert response.status_code == 422
    assert "请说明存在的问题" in page and "请为“指南准确度”选择评价等级" in page
    assert 'class="yw-error-summary"' in page
    assert Rating.objects.count() == 0


def test_rating_twice_from_the_page_is_refused() -> None:
    user = citizen()
    application = finished_application(user=user)
    rate(user=user, subject=application, level=5)
    url = reverse("reviews:rate", args=["application", application.number])

    page = _citizen_client(user).get(url, **EN).content.decode()

    assert str(services.MSG_ALREADY_RATED) in page and "Send my rating" not in page


def test_the_citizen_sees_the_rectification_result_on_the_fragment_and_my_ratings() -> None:
    order = bad_order(named=False)
    clerk = StaffFactory(region_code="440106")
    services.order_result_record(
        order=order,
        by=clerk,
        result="已向窗口人员重申一次性告知制度",
        public_summary="材料告知不全",
    )
    rating = order.rating
    client = _citizen_client(rating.rater)

    fragment = client.get(
        reverse("reviews:subject_fragment", args=["application", rating.subject_ref])
    ).content.decode()
    mine = client.get(reverse("reviews:my"), **EN).content.decode()

    assert "已向窗口人员重申一次性告知制度" in fragment and "已整改" in fragment
    assert "Rectified" in mine and "已向窗口人员重申一次性告知制度" in mine


def test_the_public_rectification_page_shows_no_personal_data() -> None:
    order = bad_order(named=True)
    clerk = StaffFactory(region_code="440106")
    services.callback_record(
        order=order, by=clerk, called_at=timezone.now(), method="phone", reviewer_said="回访满意"
    )
    services.order_result_record(
        order=order, by=clerk, result="已整改", public_summary="等候时间长"
    )
    profile = order.rating.rater.citizen

    page = Client().get(reverse("reviews:rectifications")).content.decode()

    assert "等候时间长" in page and order.department.name in page
    assert profile.real_name not in page and profile.phone not in page
    assert order.rating.comment not in page


def test_the_public_satisfaction_page_in_english() -> None:
    user = citizen()
    rate(user=user, subject=finished_application(user=user), level=5)
    page = Client().get(reverse("reviews:satisfaction"), **EN).content.decode()
    assert "By department" in page and "100%" in page


# --- staff


def test_staff_list_marks_overdue_orders_red_and_hides_other_regions() -> None:
    order = bad_order()
    type(order).objects.filter(pk=order.pk).update(deadline="2020-01-02")
    clerk = staff_client_login(Client(), StaffFactory(region_code="440106"))
    neighbour = staff_client_login(Client(), StaffFactory(region_code="440104"))

    page = clerk.get(reverse("reviews:staff_index"), **EN).content.decode()

    assert order.reference in page and "yw-tag--red" in page and "Overdue" in page
    assert order.reference not in neighbour.get(reverse("reviews:staff_index")).content.decode()
    assert neighbour.get(reverse("reviews:staff_order", args=[order.pk])).status_code == 404


def test_staff_pages_need_a_verified_staff_login() -> None:
    response = _citizen_client(citizen()).get(reverse("reviews:staff_index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_clerk_reads_the_contact_records_the_callback_and_the_result() -> None:
    order = bad_order(named=True)
    clerk = staff_client_login(Client(), StaffFactory(region_code="440106"))
    action = "reviews:staff_order_action"

    shown = clerk.post(reverse(action, args=[order.pk, "contact"]), {"purpose": "差评回访"})
    assert order.rating.rater.citizen.phone in shown.content.decode()

    refused = clerk.post(
        reverse(action, args=[order.pk, "result"]), {"result": "x", "public_summary": "y"}
    )
    assert refused.status_code == 422 and "须先记录回访情况" in refused.content.decode()

    clerk.post(
        reverse(action, args=[order.pk, "callback"]),
        {"called_at": "2026-11-25T10:00", "method": "phone", "reviewer_said": "希望改进"},
    )
    done = clerk.post(
        reverse(action, args=[order.pk, "result"]),
        {"result": "已整改", "public_summary": "材料告知不全"},
    )
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED and order.callbacks.count() == 1


def test_the_department_appeals_and_the_supervisor_upholds_from_the_pages() -> None:
    order = bad_order()
    clerk = staff_client_login(Client(), StaffFactory(region_code="440106"))
    supervisor_user = StaffFactory(region_code="4401", roles=["supervisor"], department_kind="data")
    supervisor = staff_client_login(Client(), supervisor_user)

    clerk.post(
        reverse("reviews:staff_order_action", args=[order.pk, "appeal"]),
        {"reason": "恶意差评", "evidence": "录像"},
    )
    appeal = order.appeal
    queue = supervisor.get(reverse("reviews:staff_appeals"), **EN).content.decode()
    assert order.reference in queue
    assert clerk.get(reverse("reviews:staff_appeals")).status_code == 403

    missing = supervisor.post(reverse("reviews:staff_appeal", args=[appeal.pk]), {"note": ""})
    assert missing.status_code == 422
    supervisor.post(
        reverse("reviews:staff_appeal", args=[appeal.pk]),
        {"decision": "upheld", "note": "证据充分"},
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.APPEALED and order.rating.excluded


def test_the_statistics_page_is_scoped_to_the_readers_region() -> None:
    user = citizen()
    rate(user=user, subject=finished_application(user=user, region_code="440104"), level=5)
    tianhe = staff_client_login(Client(), StaffFactory(region_code="440106"))
    city = staff_client_login(Client(), StaffFactory(region_code="4401", roles=["supervisor"]))

    assert "100%" not in tianhe.get(reverse("reviews:staff_statistics")).content.decode()
    page = city.get(reverse("reviews:staff_statistics"), **EN).content.decode()
    assert "100%" in page and "By region" in page


def test_a_served_appointment_gets_the_fragment_with_the_hall_form() -> None:
    user = citizen()
    booking = served_booking(user=user)
    client = _citizen_client(user)

    fragment = client.get(
        reverse("reviews:subject_fragment", args=["appointment", booking.pk])
    ).content.decode()

    assert reverse("reviews:rate", args=["appointment", booking.pk]) in fragment
    assert "评价本次服务" in fragment
