"""Approvals issue e-certificates (once), 免提交 with held certificates, and the staff's
internal notes."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from yiwang.accounts.tests.factories import CitizenFactory, staff_client_login
from yiwang.applications.certificate_data import assigned_uscc
from yiwang.applications.engine.handlers import ServiceCall
from yiwang.applications.handlers import issue_result
from yiwang.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Status,
    WorkItem,
    WorkItemStatus,
)
from yiwang.applications.services import (
    application_material_certificate_link,
    application_submit,
    task_claim,
    task_comment,
    task_complete,
)
from yiwang.applications.tests.factories import (
    CERTIFICATE_FORM,
    GOOD_FORM,
    INSTANT,
    TWO_STEP,
    clerk,
    draft,
)
from yiwang.audit.models import AuditEntry
from yiwang.certificates.models import Certificate, CertificateStatus
from yiwang.certificates.tests.factories import SOCIAL_DATA, issued
from yiwang.core.ids import validate_uscc

pytestmark = pytest.mark.django_db

SOCIAL_MATERIAL = {
    "name_zh": "社会保险参保证明",
    "name_en": "Social insurance record",
    "form": "original",
    "copies": 1,
    "requirement": "required",
    "reusable_certificate_type": "social_insurance_record",
}
PLAIN_MATERIAL = {**SOCIAL_MATERIAL, "name_zh": "照片", "reusable_certificate_type": ""}


ZH_NOT_FOUND = "您的证照中没有这个编号的证照。"


def _submit(app: Application) -> Application:
    return application_submit(user=app.applicant, application=app, submit_token=uuid.uuid4())


def _act(user: Any, app: Application, step: str, action: str) -> Application:
    item = WorkItem.objects.get(application=app, bpmn_id=step, status=WorkItemStatus.OPEN)
    task_claim(user=user, item_id=item.pk)
    return task_complete(user=user, item_id=item.pk, action=action)


# --- certificates from approvals


def test_instant_item_issues_the_record_into_the_wallet_once() -> None:
    app = _submit(draft(INSTANT))
    assert app.status == Status.APPROVED
    certificate = app.result_certificate
    assert certificate is not None
    assert certificate.holder == app.applicant
    assert certificate.certificate_type.code == "social_insurance_record"
    assert certificate.data["name"] == app.applicant.citizen.real_name
    assert certificate.data["since"] == "2015-07"
    today = timezone.localdate()
    assert certificate.data["months"] == str((today.year - 2015) * 12 + today.month - 7)
    assert certificate.source_reference == f"application:{app.number}:issue"
    event = app.events.get(kind="result_issued")
    assert event.details["certificate"] == certificate.number
    # The service task runs again (a retry): the same certificate, no second timeline line.
    with transaction.atomic():
        data: dict[str, Any] = {}
        issue_result(
            app, data, ServiceCall("issue", {"certificate_type": "social_insurance_record"})
        )
        app.save()
    assert data["certificate_number"] == certificate.number
    assert Certificate.objects.filter(holder=app.applicant).count() == 1
    assert app.events.filter(kind="result_issued").count() == 1


def test_the_database_refuses_a_second_certificate_for_the_same_step() -> None:
    app = _submit(draft(INSTANT))
    assert app.result_certificate is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        issued(holder=app.applicant, source_reference=app.result_certificate.source_reference)


def test_approval_issues_the_business_licence_with_an_assigned_credit_code() -> None:
    officer = clerk()
    app = _act(
        officer, _act(officer, _submit(draft(TWO_STEP)), "accept", "accept"), "review", "approve"
    )
    certificate = app.result_certificate
    assert certificate is not None and app.status == Status.APPROVED
    assert certificate.data["business_name"] == CERTIFICATE_FORM["business_name"]
    assert certificate.data["operator"] == app.applicant.citizen.real_name
    assert validate_uscc(certificate.data["credit_code"]) == assigned_uscc(app)
    assert certificate.issuer_department == app.implementation.department
    assert certificate.certificate_type.disclosed_keys == [
        "business_name",
        "operator",
        "credit_code",
        "scope",
    ]


def test_missing_data_fails_the_approval_loudly_and_nothing_half_finishes() -> None:
    form = {k: v for k, v in GOOD_FORM.items() if k != "business_name"}
    officer = clerk()
    app = _act(officer, _submit(draft(TWO_STEP, form=form)), "accept", "accept")
    item = WorkItem.objects.get(application=app, bpmn_id="review")
    task_claim(user=officer, item_id=item.pk)
    state = Application.objects.get(pk=app.pk).workflow_state
    with pytest.raises(ValidationError) as exc:
        task_complete(user=officer, item_id=item.pk, action="approve")
    assert exc.value.code == "certificate_data_missing"
    assert "Business name" in exc.value.messages[0]
    app.refresh_from_db()
    item.refresh_from_db()
    assert app.status == Status.UNDER_REVIEW and app.workflow_state == state
    assert item.status == WorkItemStatus.OPEN and item.claimed_by == officer
    assert not Certificate.objects.exists()
    assert not app.events.filter(kind__in=["step.approve", "result_issued", "decided"]).exists()


def test_instant_item_without_the_data_is_not_submitted() -> None:
    form = {k: v for k, v in GOOD_FORM.items() if k != "insured_since"}
    app = draft(INSTANT, form=form)
    with pytest.raises(ValidationError) as exc:
        _submit(app)
    assert exc.value.code == "certificate_data_missing"
    app.refresh_from_db()
    assert app.status == Status.DRAFT and app.submit_token is None
    assert not app.events.exists() and not Certificate.objects.exists()


# --- 免提交


def _with_social_material(user: Any = None) -> tuple[Application, Any]:
    app = draft(TWO_STEP, user=user, materials=[SOCIAL_MATERIAL, PLAIN_MATERIAL])
    return app, app.implementation_version.materials.get(reusable_certificate_type__gt="")


def test_a_held_certificate_replaces_the_upload_with_a_snapshot() -> None:
    app, material = _with_social_material()
    certificate = issued(holder=app.applicant)
    linked = application_material_certificate_link(
        user=app.applicant, application=app, material=material, number=certificate.number
    )
    assert linked.certificate == certificate and not linked.file
    assert linked.certificate_type_code == "social_insurance_record"
    assert linked.verification_status == "valid"
    assert dict(linked.disclosed_display()) == {
        "Name": SOCIAL_DATA["name"],
        "Insurance types": SOCIAL_DATA["insurance_types"],
        "Insured since": SOCIAL_DATA["since"],
        "Months of contributions": SOCIAL_DATA["months"],
    }  # the ID number is not disclosed
    # Offering another one for the same material replaces the first.
    other = issued(holder=app.applicant)
    application_material_certificate_link(
        user=app.applicant, application=app, material=material, number=other.number
    )
    assert list(app.materials.values_list("certificate_number", flat=True)) == [other.number]
    assert AuditEntry.objects.filter(action="applications.certificate_offered").count() == 2


def _refused(app: Application, material: Any, number: str) -> str:
    with pytest.raises(ValidationError) as exc:
        application_material_certificate_link(
            user=app.applicant, application=app, material=material, number=number
        )
    assert not ApplicationMaterial.objects.filter(application=app).exists()
    return str(exc.value.error_dict["certificate"][0].code)


def test_bad_certificates_are_field_errors_and_nothing_is_saved() -> None:
    app, material = _with_social_material()
    someone_else = issued(holder=CitizenFactory().user)
    assert _refused(app, material, someone_else.number) == "certificate_not_found"
    assert _refused(app, material, "no-such-number") == "certificate_not_found"
    revoked = issued(holder=app.applicant)
    Certificate.objects.filter(pk=revoked.pk).update(status=CertificateStatus.REVOKED)
    assert _refused(app, material, revoked.number) == "certificate_revoked"
    expired = issued(holder=app.applicant)
    Certificate.objects.filter(pk=expired.pk).update(
        valid_until=timezone.now() - dt.timedelta(days=1)
    )
    assert _refused(app, material, expired.number) == "certificate_expired"
    licence = issued(
        holder=app.applicant,
        certificate_type_code="health_certificate",
        data={"name": "李明", "id_number": "1", "category": "餐饮", "result": "合格"},
    )
    assert _refused(app, material, licence.number) == "certificate_wrong_type"
    plain = app.implementation_version.materials.get(reusable_certificate_type="")
    good = issued(holder=app.applicant)
    assert _refused(app, plain, good.number) == "material_not_reusable"


def test_a_certificate_revoked_after_it_was_offered_stops_the_submission() -> None:
    app, material = _with_social_material()
    certificate = issued(holder=app.applicant)
    application_material_certificate_link(
        user=app.applicant, application=app, material=material, number=certificate.number
    )
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.REVOKED)
    with pytest.raises(ValidationError) as exc:
        _submit(app)
    assert exc.value.error_dict["certificate"][0].code == "certificate_revoked"
    app.refresh_from_db()
    assert app.status == Status.DRAFT


def test_api_offers_a_certificate_and_refuses_another_persons(client: Client) -> None:
    app, material = _with_social_material()
    client.force_login(app.applicant)
    url = f"/api/v1/applications/{app.number}/materials/certificate"
    theirs = issued(holder=CitizenFactory().user)
    bad = client.post(
        url,
        json.dumps({"material_id": material.pk, "certificate_number": theirs.number}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert not app.materials.exists()
    mine = issued(holder=app.applicant)
    ok = client.post(
        url,
        json.dumps({"material_id": material.pk, "certificate_number": mine.number}),
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["verification_status"] == "valid"


def test_pages_offer_held_certificates_and_staff_see_them_verified(client: Client) -> None:
    app, material = _with_social_material()
    mine = issued(holder=app.applicant)
    theirs = issued(holder=CitizenFactory().user)
    client.force_login(app.applicant)
    page = client.get(f"/applications/{app.number}/edit/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert "免提交" in page  # Chinese by default
    refused = client.post(
        f"/applications/{app.number}/certificate/",
        {"material": material.pk, "certificate": theirs.number},
    )
    assert refused.status_code == 422
    assert ZH_NOT_FOUND in refused.content.decode()
    assert f'id="certificate-{material.pk}-error"' in refused.content.decode()
    assert not app.materials.exists()
    response = client.post(
        f"/applications/{app.number}/certificate/",
        {"material": material.pk, "certificate": mine.number},
    )
    assert response.status_code == 302
    _submit(app)
    staff = staff_client_login(Client(), clerk())
    item = WorkItem.objects.get(application=app, bpmn_id="accept")
    task_page = staff.get(
        f"/applications/staff/tasks/{item.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "E-certificate, verified" in task_page
    assert mine.number in task_page and SOCIAL_DATA["since"] in task_page
    assert SOCIAL_DATA["id_number"] not in task_page
    linked = app.materials.get()
    assert (
        staff.get(f"/applications/staff/tasks/{item.pk}/materials/{linked.pk}/").status_code == 404
    )


def test_applicant_page_links_the_certificate_in_the_wallet(client: Client) -> None:
    app = _submit(draft(INSTANT))
    client.force_login(app.applicant)
    page = client.get(f"/applications/{app.number}/").content.decode()
    assert app.result_certificate is not None
    assert f'href="/certificates/{app.result_certificate.number}/"' in page
    assert "电子证照已发放至“我的证照”" in page


# --- internal notes


def test_a_note_is_for_staff_only_and_audited(client: Client) -> None:
    app = _submit(draft(TWO_STEP))
    officer = clerk()
    item = WorkItem.objects.get(application=app, bpmn_id="accept")
    staff = staff_client_login(Client(), officer)
    response = staff.post(
        f"/applications/staff/tasks/{item.pk}/comment/", {"comment": "请核对经营场所证明原件"}
    )
    assert response.status_code == 302
    event = ApplicationEvent.objects.get(application=app, kind="comment")
    assert event.visible_to_applicant is False and event.actor == officer
    assert AuditEntry.objects.filter(action="applications.comment", target_id=app.number).exists()
    assert (
        "请核对经营场所证明原件"
        in staff.get(f"/applications/staff/tasks/{item.pk}/").content.decode()
    )
    client.force_login(app.applicant)
    assert (
        "请核对经营场所证明原件" not in client.get(f"/applications/{app.number}/").content.decode()
    )
    api = client.get(f"/api/v1/applications/{app.number}").json()
    assert "comment" not in [e["kind"] for e in api["timeline"]]


def test_an_empty_note_or_another_regions_item_changes_nothing() -> None:
    app = _submit(draft(TWO_STEP))
    item = WorkItem.objects.get(application=app, bpmn_id="accept")
    with pytest.raises(ValidationError) as exc:
        task_comment(user=clerk(), item_id=item.pk, text="   ")
    assert exc.value.error_dict["comment"][0].code == "comment_required"
    from django.http import Http404

    with pytest.raises(Http404):
        task_comment(user=clerk(region_code="440104"), item_id=item.pk, text="越权")
    assert not ApplicationEvent.objects.filter(kind="comment").exists()


def test_empty_note_on_the_page_is_shown_next_to_the_field() -> None:
    app = _submit(draft(TWO_STEP))
    item = WorkItem.objects.get(application=app, bpmn_id="accept")
    staff = staff_client_login(Client(), clerk())
    response = staff.post(f"/applications/staff/tasks/{item.pk}/comment/", {"comment": ""})
    assert response.status_code == 422
    assert 'id="comment-error"' in response.content.decode()


def test_api_note_is_for_staff_only() -> None:
    app = _submit(draft(TWO_STEP))
    item = WorkItem.objects.get(application=app, bpmn_id="accept")
    staff = staff_client_login(Client(), clerk())
    url = f"/api/v1/applications/staff/tasks/{item.pk}/comment"
    ok = staff.post(url, json.dumps({"text": "已电话核实"}), content_type="application/json")
    assert ok.status_code == 201
    empty = staff.post(url, json.dumps({"text": ""}), content_type="application/json")
    assert empty.status_code == 422
    outsider = staff_client_login(Client(), clerk(region_code="440104"))
    other = outsider.post(url, json.dumps({"text": "x"}), content_type="application/json")
    assert other.status_code == 404
    assert list(app.events.filter(kind="comment").values_list("message", flat=True)) == [
        "已电话核实"
    ]


def test_staff_task_page_labels_the_form_fields() -> None:
    app = _submit(draft(TWO_STEP))
    item = WorkItem.objects.get(application=app, bpmn_id="accept")
    staff = staff_client_login(Client(), clerk())
    page = staff.get(f"/applications/staff/tasks/{item.pk}/").content.decode()
    assert '<dt class="yw-summary-list__key">电话</dt>' in page
