from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yiwang.accounts.models import DepartmentKind
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory
from yiwang.audit.models import AuditEntry
from yiwang.certificates import services
from yiwang.certificates.models import Certificate, CertificateStatus, SigningKey
from yiwang.certificates.selectors import certificate_verify_online
from yiwang.certificates.signing.jws import jws_verify
from yiwang.certificates.signing.keys import keys_from_jwks
from yiwang.certificates.signing.services import jwks_document, signing_key_rotate
from yiwang.certificates.tests.factories import (
    SOCIAL_DATA,
    certificate_types,
    hr_department,
    issued,
)
from yiwang.notify.models import Delivery

pytestmark = pytest.mark.django_db


def _hr_staff(region_code: str = "440106", **kwargs: object) -> object:
    return StaffFactory(
        region_code=region_code, department_kind=DepartmentKind.HUMAN_RESOURCES, **kwargs
    )


def test_issue_signs_both_representations_and_snapshots_issuer() -> None:
    certificate = issued()
    assert certificate.issuer_region_code == "440106"
    assert certificate.issuer_name == "天河区人社局"
    assert certificate.number.startswith("440106")
    assert certificate.valid_until is not None
    assert (certificate.valid_until - certificate.issued_at).days == 90
    key = SigningKey.objects.get(is_active=True)
    assert certificate.signing_kid == key.kid
    payload = jws_verify(certificate.vc_jwt, keys=keys_from_jwks(jwks_document()))
    subject = payload["vc"]["credentialSubject"]
    assert subject["certificateNumber"] == certificate.number
    assert subject["months"] == "136"
    assert payload["vc"]["type"] == ["VerifiableCredential", "YiwangCertificate"]
    result = certificate_verify_online(text=certificate.qr_payload)
    assert result.status == "valid"
    assert "id_number" not in result.fields
    assert result.fields["name"] == "李明"
    assert AuditEntry.objects.filter(
        action="certificates.issue", target_id=certificate.number
    ).exists()


def test_issue_rejects_bad_input_and_changes_nothing() -> None:
    certificate_types()
    holder = CitizenFactory().user
    department = hr_department()
    cases = [
        ({"certificate_type_code": "nope"}, "unknown_type"),
        ({"data": SOCIAL_DATA | {"months": " "}}, "missing_fields"),
        ({"valid_until": timezone.now() - dt.timedelta(days=1)}, "bad_validity"),
        ({"holder": StaffFactory()}, "not_citizen"),
    ]
    for overrides, code in cases:
        kwargs = {
            "certificate_type_code": "social_insurance_record", "holder": holder,
            "issuer_department": department, "data": SOCIAL_DATA,
        } | overrides  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            services.certificate_issue(**kwargs)  # type: ignore[arg-type]
        assert exc.value.code == code
    assert Certificate.objects.count() == 0


def test_missing_fields_message_names_them() -> None:
    certificate_types()
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(
            certificate_type_code="social_insurance_record",
            holder=CitizenFactory().user,
            issuer_department=hr_department(),
            data={"name": "李明"},
        )
    assert exc.value.messages == [
        "The certificate data lacks required fields: id_number, insurance_types, since, months."
    ]


def test_rotation_keeps_old_certificates_valid() -> None:
    old = issued()
    first_kid = old.signing_kid
    new_key = signing_key_rotate()
    assert new_key.kid != first_kid
    assert SigningKey.objects.filter(is_active=True).get() == new_key
    assert SigningKey.objects.get(kid=first_kid).retired_at is not None
    assert [k["kid"] for k in jwks_document()["keys"]] == [new_key.kid, first_kid]
    new = issued()
    assert new.signing_kid == new_key.kid
    assert certificate_verify_online(text=old.qr_payload).status == "valid"
    assert certificate_verify_online(text=new.qr_payload).status == "valid"


def test_private_key_is_encrypted_at_rest() -> None:
    key = signing_key_rotate()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key FROM certificates_signingkey WHERE kid = %s", [key.kid])
        stored = cursor.fetchone()[0]
    assert stored != key.private_key
    assert key.private_key not in stored


def test_revoke_by_issuing_department_is_seen_by_verifiers_at_once() -> None:
    certificate = issued()
    staff = _hr_staff()
    revoked = services.certificate_revoke(certificate=certificate, by=staff, reason="信息有误")  # type: ignore[arg-type]
    assert revoked.status == CertificateStatus.REVOKED
    assert revoked.revocation_reason == "信息有误"
    assert certificate_verify_online(text=certificate.qr_payload).status == "revoked"
    note = Delivery.objects.get(recipient=certificate.holder, template="certificates_revoked")
    assert "信息有误" in note.body
    entry = AuditEntry.objects.get(action="certificates.revoke")
    assert entry.target_id == certificate.number
    with pytest.raises(ValidationError) as exc:
        services.certificate_revoke(certificate=revoked, by=staff, reason="again")  # type: ignore[arg-type]
    assert exc.value.code == "already_revoked"


def test_revoke_needs_a_reason() -> None:
    certificate = issued()
    with pytest.raises(ValidationError) as exc:
        services.certificate_revoke(certificate=certificate, by=_hr_staff(), reason="  ")  # type: ignore[arg-type]
    assert exc.value.code == "reason_required"
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE


@pytest.mark.parametrize(
    "who",
    ["other_region", "same_department_other_region", "other_department", "citizen"],
)
def test_revoke_refused_outside_department_or_region(who: str) -> None:
    certificate = issued()
    by = {
        "other_region": lambda: _hr_staff("440104"),
        "same_department_other_region": lambda: _hr_staff(
            "440104", department_region_code="440106"
        ),
        "other_department": lambda: StaffFactory(region_code="440106"),
        "citizen": lambda: CitizenFactory().user,
    }[who]()
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=certificate, by=by, reason="x")  # type: ignore[arg-type]
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE


def test_share_link_opens_once_and_expires() -> None:
    certificate = issued()
    _link, token = services.share_link_create(certificate=certificate, hours=1)
    assert services.share_link_open(token=token) == certificate
    assert services.share_link_open(token=token) is None
    _link, token2 = services.share_link_create(certificate=certificate, hours=1)
    import time_machine

    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, seconds=1)):
        assert services.share_link_open(token=token2) is None
    assert services.share_link_open(token="unknown") is None


def test_share_link_refused_for_revoked_or_bad_hours() -> None:
    certificate = issued()
    for hours in (0, 169):
        with pytest.raises(ValidationError) as exc:
            services.share_link_create(certificate=certificate, hours=hours)
        assert exc.value.code == "bad_hours"
    services.certificate_revoke(certificate=certificate, by=_hr_staff(), reason="x")  # type: ignore[arg-type]
    certificate.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.share_link_create(certificate=certificate)
    assert exc.value.code == "revoked"
    assert certificate.share_links.count() == 0
