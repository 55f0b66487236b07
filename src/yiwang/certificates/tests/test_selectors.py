from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from yiwang.accounts.models import DepartmentKind
from yiwang.accounts.tests.factories import CitizenFactory, StaffFactory
from yiwang.certificates import selectors
from yiwang.certificates.models import CertificateStatus
from yiwang.certificates.tests.factories import issued

pytestmark = pytest.mark.django_db


def _reuse_error(**kwargs: object) -> tuple[str | None, list[str]]:
    with pytest.raises(ValidationError) as exc:
        selectors.certificate_for_reuse(**kwargs)  # type: ignore[arg-type]
    return exc.value.code, exc.value.messages


def test_reuse_own_valid_certificate() -> None:
    certificate = issued()
    found = selectors.certificate_for_reuse(
        user=certificate.holder, number=f" {certificate.number} ",
        certificate_type_code="social_insurance_record",
    )  # fmt: skip
    assert found == certificate


def test_reuse_refusals() -> None:
    certificate = issued()
    stranger = CitizenFactory().user
    assert _reuse_error(user=stranger, number=certificate.number) == (
        "certificate_not_found",
        ["There is no certificate with this number in your wallet."],
    )
    assert _reuse_error(user=certificate.holder, number="nope")[0] == "certificate_not_found"
    assert (
        _reuse_error(
            user=certificate.holder,
            number=certificate.number,
            certificate_type_code="health_certificate",
        )[0]
        == "certificate_wrong_type"
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        assert _reuse_error(user=certificate.holder, number=certificate.number) == (
            "certificate_expired",
            ["This certificate has expired and cannot be used."],
        )
    certificate.status = CertificateStatus.REVOKED
    certificate.save()
    assert (
        _reuse_error(user=certificate.holder, number=certificate.number)[0] == "certificate_revoked"
    )


def test_online_verification_of_an_expired_certificate() -> None:
    certificate = issued()
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        assert selectors.certificate_verify_online(text=certificate.qr_payload).status == "expired"


def test_staff_list_is_department_and_region_scoped() -> None:
    certificate = issued()
    insider = StaffFactory(region_code="440106", department_kind=DepartmentKind.HUMAN_RESOURCES)
    city = StaffFactory(
        region_code="4401", department_kind=DepartmentKind.HUMAN_RESOURCES,
        department_region_code="440106",
    )  # fmt: skip
    other_region = StaffFactory(
        region_code="440104", department_kind=DepartmentKind.HUMAN_RESOURCES
    )
    other_department = StaffFactory(region_code="440106")
    assert list(selectors.certificates_for_staff(user=insider)) == [certificate]
    assert list(selectors.certificates_for_staff(user=city)) == [certificate]
    assert list(selectors.certificates_for_staff(user=other_region)) == []
    assert list(selectors.certificates_for_staff(user=other_department)) == []
    assert list(selectors.certificates_for_staff(user=certificate.holder)) == []
