"""Pages: the citizen journey (apply, draft, submit, supplement, withdraw) and the staff
workbench (inbox, claim, act, personal data with purpose); scoping answers 404."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.tests.factories import staff_client_login
from yiwang.applications.models import Application, Status, WorkItem
from yiwang.applications.tests.factories import (
    CERTIFICATE_FORM,
    TWO_STEP,
    citizen,
    clerk,
    implementation_for,
)
from yiwang.audit.models import AuditEntry
from yiwang.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db


def _login(client: Client) -> object:
    user = citizen()
    client.force_login(user)
    return user


def _draft(client: Client) -> Application:
    implementation = implementation_for(TWO_STEP)
    _login(client)
    response = client.post(f"/applications/apply/{implementation.pk}/", {"phone": "13800138000"})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.number}/edit/"
    return application


def _submit(client: Client, application: Application, **fields: str) -> object:
    page = client.get(f"/applications/{application.number}/edit/")
    token = page.context["submit_token"]
    data = {
        **CERTIFICATE_FORM,
        "phone": "13800138000",
        "seats": "12",
        "action": "submit",
        "submit_token": str(token),
    }
    data.update(fields)
    return client.post(f"/applications/{application.number}/edit/", data)


def test_guide_fragment_links_only_services_with_a_process(client: Client) -> None:
    implementation = implementation_for(TWO_STEP)
    _, other = published_item()
    linked = client.get("/applications/apply-action", {"implementation": implementation.pk})
    assert f'href="/applications/apply/{implementation.pk}/"' in linked.content.decode()
    unlinked = client.get("/applications/apply-action", {"implementation": other.pk})
    assert "disabled" in unlinked.content.decode() and "href" not in unlinked.content.decode()
    guide = client.get(f"/services/guide/{implementation.pk}/")
    assert "/applications/apply-action?implementation=" in guide.content.decode()


def test_apply_page_renders_the_schema_form(client: Client) -> None:
    implementation = implementation_for(TWO_STEP)
    _login(client)
    page = client.get(f"/applications/apply/{implementation.pk}/")
    assert page.status_code == 200
    assert set(page.context["form"].fields) >= {"phone", "seats"}


def test_bad_form_shows_field_errors_and_stays_a_draft(client: Client) -> None:
    application = _draft(client)
    response = _submit(client, application, seats="0")
    assert response.status_code == 200
    assert "seats" in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.form_data["seats"] == "0"


def test_submit_then_double_post_makes_one_and_shows_the_timeline(client: Client) -> None:
    application = _draft(client)
    page = client.get(f"/applications/{application.number}/edit/")
    data = {
        "phone": "13800138000",
        "seats": "12",
        "action": "submit",
        "submit_token": str(page.context["submit_token"]),
    }
    first = client.post(f"/applications/{application.number}/edit/", data)
    second = client.post(f"/applications/{application.number}/edit/", data)
    assert first["Location"] == second["Location"] == f"/applications/{application.number}/"
    assert WorkItem.objects.count() == 1
    detail = client.get(f"/applications/{application.number}/")
    assert detail.status_code == 200
    assert [e.kind for e in detail.context["timeline"]] == ["submitted"]
    mine = client.get("/applications/")
    assert application.number in mine.content.decode()


def test_other_citizen_gets_404(client: Client) -> None:
    application = _draft(client)
    _login(client)
    assert client.get(f"/applications/{application.number}/").status_code == 404
    assert client.get(f"/applications/{application.number}/edit/").status_code == 404


def test_staff_journey_with_supplement_and_audited_personal_data(client: Client) -> None:
    application = _draft(client)
    _submit(client, application)
    staff = staff_client_login(Client(), clerk())
    item = WorkItem.objects.get()
    pool = staff.get("/applications/staff/", {"view": "pool"})
    assert list(pool.context["page"].object_list) == [item]
    assert staff.post(f"/applications/staff/tasks/{item.pk}/claim/").status_code == 302
    # Personal data needs a purpose, and each view is audited with it.
    refused = staff.post(f"/applications/staff/tasks/{item.pk}/applicant/", {"purpose": " "})
    assert refused.context["purpose_error"]
    shown = staff.post(
        f"/applications/staff/tasks/{item.pk}/applicant/", {"purpose": "核对申请人身份"}
    )
    assert shown.context["person"]["real_name"]
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert entry.purpose == "核对申请人身份"
    # A supplement request without a checklist is refused with the field error.
    bad = staff.post(f"/applications/staff/tasks/{item.pk}/act/", {"action": "supplement"})
    assert bad.status_code == 422 and "checklist" in bad.context["errors"]
    ok = staff.post(
        f"/applications/staff/tasks/{item.pk}/act/",
        {"action": "supplement", "checklist": "租赁合同\n\n身份证复印件"},
    )
    assert ok.status_code == 302
    detail = client.get(f"/applications/{application.number}/")
    assert detail.context["checklist"] == ["租赁合同", "身份证复印件"]
    sent = client.post(
        f"/applications/{application.number}/supplement/", {"phone": "13800138000", "seats": "15"}
    )
    assert sent.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.form_data["seats"] == "15"
    withdrawn = client.post(f"/applications/{application.number}/withdraw/")
    assert withdrawn.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_supplement_page_when_not_asked_redirects_with_a_message(client: Client) -> None:
    application = _draft(client)
    _submit(client, application)
    response = client.get(f"/applications/{application.number}/supplement/", follow=True)
    assert "该办件不需要补正。" in [str(m) for m in response.context["messages"]]


def test_other_regions_clerk_gets_404_on_the_task(client: Client) -> None:
    application = _draft(client)
    _submit(client, application)
    item = WorkItem.objects.get()
    outsider = staff_client_login(Client(), clerk(region_code="440104"))
    assert outsider.get(f"/applications/staff/tasks/{item.pk}/").status_code == 404
    assert outsider.post(f"/applications/staff/tasks/{item.pk}/claim/").status_code == 404


def test_staff_opens_a_material_inline_and_it_is_audited(
    client: Client, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.applications.uploads import application_material_add

    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    application = _draft(client)
    pdf = b"%PDF-1.7\n" + b" " * 64
    stored = application_material_add(
        user=application.applicant,
        application=application,
        upload=SimpleUploadedFile("lease.pdf", pdf),
        material=None,
    )
    _submit(client, application)
    item = WorkItem.objects.get()
    staff = staff_client_login(Client(), clerk())
    response = staff.get(f"/applications/staff/tasks/{item.pk}/materials/{stored.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline"
    assert response.content == pdf
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert application.number in entry.purpose
    outsider = staff_client_login(Client(), clerk(region_code="440104"))
    assert (
        outsider.get(f"/applications/staff/tasks/{item.pk}/materials/{stored.pk}/").status_code
        == 404
    )


def test_instant_decision_reason_is_shown_in_the_applicants_language(client: Client) -> None:
    from yiwang.applications.tests.factories import INSTANT

    implementation = implementation_for(INSTANT)
    _login(client)
    client.post(f"/applications/apply/{implementation.pk}/", {"phone": "13800138000"})
    application = Application.objects.get()
    _submit(client, application)
    page = client.get(f"/applications/{application.number}/").content.decode()
    assert "您已完成实名认证，参保地在本省，证明已即时出具。" in page
    assert "R3_approve" in page
    english = client.get(
        f"/applications/{application.number}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "You are verified and insured in this province" in english


def test_applicant_appeals_from_the_page_and_a_clerk_sees_the_review(client: Client) -> None:
    from yiwang.accounts.tests.factories import CitizenFactory, chain_for
    from yiwang.applications.tests.factories import INSTANT

    implementation = implementation_for(INSTANT)
    outsider = CitizenFactory(region=chain_for("110101")[-1]).user
    client.force_login(outsider)
    client.post(f"/applications/apply/{implementation.pk}/", {"phone": "13800138000"})
    application = Application.objects.get()
    _submit(client, application)
    page = client.get(f"/applications/{application.number}/")
    assert page.context["automated"].rule_id == "R2_other_province"
    assert f"/applications/{application.number}/appeal/" in page.content.decode()
    client.post(f"/applications/{application.number}/appeal/", {"reason": "我在本省参保"})
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    staff = staff_client_login(Client(), clerk())
    item = WorkItem.objects.get(bpmn_id="appeal_review")
    staff.post(f"/applications/staff/tasks/{item.pk}/claim/")
    task = staff.get(f"/applications/staff/tasks/{item.pk}/")
    assert [a for a, _ in task.context["actions"]] == ["uphold", "overturn"]
    assert "我在本省参保" in task.content.decode()
    done = staff.post(
        f"/applications/staff/tasks/{item.pk}/act/", {"action": "uphold", "reason": "户籍在外省"}
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REJECTED


def test_stale_staff_page_gets_a_clear_error_and_nothing_changes(client: Client) -> None:
    application = _draft(client)
    _submit(client, application)
    staff = staff_client_login(Client(), clerk())
    item = WorkItem.objects.get()
    staff.post(f"/applications/staff/tasks/{item.pk}/claim/")
    staff.post(f"/applications/staff/tasks/{item.pk}/act/", {"action": "accept"})
    application.refresh_from_db()
    state = application.workflow_state
    again = staff.post(
        f"/applications/staff/tasks/{item.pk}/act/", {"action": "not_accept", "reason": "x"}
    )
    assert again.status_code == 422
    assert again.context["errors"] == {
        "__all__": ["该环节已经办理或已不再开放。请刷新页面查看办件当前进度。"]
    }
    application.refresh_from_db()
    assert application.workflow_state == state and application.status == Status.UNDER_REVIEW


def test_supervisors_see_appeal_and_overturn_rates_per_rule(client: Client) -> None:
    from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory, chain_for
    from yiwang.applications.services import application_appeal, task_claim, task_complete
    from yiwang.applications.tests.factories import INSTANT, draft

    for region in ("440106006002", "110101"):
        app = draft(INSTANT, user=CitizenFactory(region=chain_for(region)[-1]).user)
        client.force_login(app.applicant)
        _submit(client, app)
    rejected = Application.objects.get(status=Status.REJECTED)
    application_appeal(user=rejected.applicant, application=rejected, reason="请复核")
    officer = clerk()
    item = WorkItem.objects.get(bpmn_id="appeal_review")
    task_claim(user=officer, item_id=item.pk)
    task_complete(user=officer, item_id=item.pk, action="overturn", reason="已核实")

    supervisor = staff_client_login(
        Client(), StaffFactory(region_code="4401", roles=["supervisor"])
    )
    rows = supervisor.get("/applications/staff/rules/").context["rows"]
    figures = {r["rule_id"]: (r["decided"], r["appealed"], r["overturned"]) for r in rows}
    assert figures == {"R2_other_province": (1, 1, 1), "R3_approve": (1, 0, 0)}
    assert (
        staff_client_login(Client(), clerk()).get("/applications/staff/rules/").status_code == 403
    )
    elsewhere = staff_client_login(Client(), StaffFactory(region_code="4403", roles=["supervisor"]))
    assert elsewhere.get("/applications/staff/rules/").context["rows"] == []
