"""Pages for the follow-ups: the reviewer's verdict on the result, the question links, the
region picker of the public figures, and published texts without phone or ID numbers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts.tests.factories import StaffFactory, staff_client_login, valid_resident_id
from yiwang.regions.models import Region
from yiwang.reviews import services
from yiwang.reviews.models import OrderStatus, RectificationOrder
from yiwang.reviews.tests.factories import bad_order, citizen, finished_application, rate
from yiwang.reviews.tests.test_followups import _rate_answer

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _resolved(named: bool = False) -> tuple[RectificationOrder, Any]:
    clerk = StaffFactory(region_code="440106")
    order = bad_order(named=named)
    if named:
        services.callback_record(
            order=order, by=clerk, called_at=timezone.now(), method="phone", reviewer_said="好"
        )
    services.order_result_record(
        order=order, by=clerk, result="已修订办事指南", public_summary="办事指南不清晰"
    )
    return order, clerk


# --- 4. the verdict


def test_the_reviewer_answers_not_satisfied_from_my_ratings_and_the_order_reopens() -> None:
    order, clerk = _resolved()
    client = _client(order.rating.rater)

    mine = client.get(reverse("reviews:my")).content.decode()
    assert "您对整改结果满意吗" in mine  # Chinese by default
    assert reverse("reviews:verdict", args=[order.pk]) in mine
    fragment = client.get(
        reverse("reviews:subject_fragment", args=["application", order.rating.subject_ref])
    ).content.decode()
    assert 'name="satisfied"' in fragment

    response = client.post(
        reverse("reviews:verdict", args=[order.pk]), {"satisfied": "no", "comment": "没改"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.round == 2

    mine = client.get(reverse("reviews:my"), **EN).content.decode()
    assert "Not satisfied" in mine and "Are you satisfied with what was put right?" not in mine
    staff = staff_client_login(Client(), clerk)
    page = staff.get(reverse("reviews:staff_order", args=[order.pk]), **EN).content.decode()
    assert "Reviewer's verdict on round 1" in page and "没改" in page
    assert "Round 2" in page


def test_a_verdict_without_a_choice_is_an_error_in_both_languages() -> None:
    order, _clerk = _resolved()
    client = _client(order.rating.rater)
    url = reverse("reviews:verdict", args=[order.pk])

    zh = client.post(url, {"satisfied": ""})
    en = client.post(url, {"satisfied": "maybe"}, **EN)

    assert zh.status_code == 422 and "请选择" in zh.content.decode()
    assert "Say whether you are satisfied" in en.content.decode()
    assert order.feedbacks.count() == 0


def test_someone_elses_order_has_no_verdict_page() -> None:
    order, _clerk = _resolved()
    client = _client(citizen())

    url = reverse("reviews:verdict", args=[order.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"satisfied": "yes"}).status_code == 404
    assert order.feedbacks.count() == 0


def test_a_second_verdict_on_the_same_round_is_refused_on_the_page() -> None:
    order, _clerk = _resolved()
    client = _client(order.rating.rater)
    url = reverse("reviews:verdict", args=[order.pk])
    client.post(url, {"satisfied": "yes"})

    again = client.post(url, {"satisfied": "no"}, **EN)
    assert again.status_code == 422
    assert "already said whether you are satisfied" in again.content.decode()


# --- 2. links to the question


def test_pages_about_a_rated_answer_link_to_the_question() -> None:
    question, rating = _rate_answer()
    clerk = StaffFactory(region_code="440106")

    mine = _client(rating.rater).get(reverse("reviews:my")).content.decode()
    staff = staff_client_login(Client(), clerk)
    page = staff.get(reverse("reviews:staff_order", args=[rating.order.pk])).content.decode()

    assert reverse("consult:question", args=[question.number]) in mine
    assert reverse("consult:staff_question", args=[question.number]) in page


# --- 3. the region picker


def test_the_figures_default_to_the_province_and_narrow_to_a_region() -> None:
    user = citizen()
    rate(user=user, subject=finished_application(user=user, region_code="440106"), level=5)
    other = citizen()
    rate(user=other, subject=finished_application(user=other, region_code="440104"), level=4)
    Region.objects.filter(code="4401").update(name="广州市", name_en="Guangzhou")

    whole = Client().get(reverse("reviews:satisfaction")).content.decode()
    assert "regions:picker" not in whole and reverse("regions:picker") in whole
    assert 'name="region"' in whole and 'method="get"' in whole  # the no-JS form
    assert "广州市" in whole  # one level below the province

    city = Client().get(reverse("reviews:satisfaction"), {"region": "4401"}, **EN)
    body = city.content.decode()
    assert city.status_code == 200 and "Guangzhou" in body
    assert "By region" in body and "440106" in body and "440104" in body

    district = Client().get(reverse("reviews:satisfaction"), {"region": "440104"}, **EN)
    assert district.context["tables"][1][2][0].total == 1  # by department: only 天河's neighbour


def test_the_pickers_own_fields_are_dropped_from_the_address() -> None:
    response = Client().get(
        reverse("reviews:satisfaction"), {"region": "4401", "region__region": ["44", "4401"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:satisfaction") + "?region=4401"


@pytest.mark.parametrize("code", ["999999", "abc", "12345"])
def test_a_region_outside_the_tree_is_a_clear_message_not_an_error(code: str) -> None:
    user = citizen()
    rate(user=user, subject=finished_application(user=user), level=5)

    zh = Client().get(reverse("reviews:satisfaction"), {"region": code})
    en = Client().get(reverse("reviews:satisfaction"), {"region": code}, **EN)

    assert zh.status_code == 404 and "没有代码为" in zh.content.decode()
    assert "There is no region with the code" in en.content.decode()
    assert "By department" in en.content.decode()  # the province's figures still show


# --- 5. personal data in published texts


def test_the_result_form_refuses_a_phone_number_next_to_the_field() -> None:
    order = bad_order(named=False)
    clerk = StaffFactory(region_code="440106")
    staff = staff_client_login(Client(), clerk)

    response = staff.post(
        reverse("reviews:staff_order_action", args=[order.pk, "result"]),
        {"result": "已整改", "public_summary": "市民13800138000反映排队久"},
        **EN,
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="result-public_summary-error"' in body and "Remove the phone number" in body
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN


def test_older_published_texts_are_masked_on_the_public_page() -> None:
    order, _clerk = _resolved()
    resident_id = valid_resident_id()
    RectificationOrder.objects.filter(pk=order.pk).update(
        public_summary=f"市民13800138000反映，证件{resident_id}", result="已联系13912345678"
    )

    page = Client().get(reverse("reviews:rectifications")).content.decode()

    assert "13800138000" not in page and "138****8000" in page
    assert resident_id not in page and "13912345678" not in page
