"""Test data: certificate types from the demo catalogue, issued certificates, pure keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yiwang.accounts.models import Department, DepartmentKind, User
from yiwang.accounts.tests.factories import CitizenFactory, DepartmentFactory, chain_for
from yiwang.certificates.demo import TYPES
from yiwang.certificates.models import Certificate, CertificateType
from yiwang.certificates.services import certificate_issue
from yiwang.certificates.signing.keys import (
    kid_for,
    private_key_generate,
    public_jwk,
    public_key_text,
)
from yiwang.certificates.signing.qr import QrClaims, qr_encode

SOCIAL_DATA = {
    "name": "李明",
    "id_number": "440106199003071234",
    "insurance_types": "养老、医疗、失业、工伤、生育",
    "since": "2015-07",
    "months": "136",
}


def certificate_types() -> dict[str, CertificateType]:
    return {
        spec["code"]: CertificateType.objects.update_or_create(
            code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
        )[0]
        for spec in TYPES
    }


def hr_department(region_code: str = "440106") -> Department:
    return DepartmentFactory(
        region=chain_for(region_code)[-1], kind=DepartmentKind.HUMAN_RESOURCES, name="天河区人社局"
    )


def issued(
    *, holder: User | None = None, department: Department | None = None, **kwargs: Any
) -> Certificate:
    certificate_types()
    return certificate_issue(
        certificate_type_code=kwargs.pop("certificate_type_code", "social_insurance_record"),
        holder=holder or CitizenFactory().user,
        issuer_department=department or hr_department(),
        data=kwargs.pop("data", SOCIAL_DATA),
        **kwargs,
    )


class PureKey:
    """A key pair outside the database, for the pure signing tests."""

    def __init__(self) -> None:
        self.private = private_key_generate()
        self.public_text = public_key_text(self.private)
        self.kid = kid_for(self.public_text)

    @property
    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [public_jwk(kid=self.kid, public_text=self.public_text)]}


NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)


def claims(**overrides: Any) -> QrClaims:
    values: dict[str, Any] = {
        "number": "44010620261125A1B2C3D4",
        "type_code": "social_insurance_record",
        "type_name": "社会保险参保证明",
        "issuer": "广州市天河区人力资源和社会保障局",
        "region_code": "440106",
        "issued_at": NOW,
        "valid_until": NOW + dt.timedelta(days=90),
        "fields": {
            "name": "李明",
            "insurance_types": "养老、医疗、失业、工伤、生育",
            "since": "2015-07",
            "months": "136",
        },
    }
    return QrClaims(**(values | overrides))


def qr_text(key: PureKey, **overrides: Any) -> str:
    return qr_encode(claims=claims(**overrides), key=key.private, kid=key.kid)
