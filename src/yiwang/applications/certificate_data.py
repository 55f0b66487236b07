"""Which data an approved application puts on its e-certificate (电子证照), per certificate type.

A process says which certificate its result is with a Camunda extension property on the
issuing service task::

    <bpmn:serviceTask id="issue" camunda:type="external" camunda:topic="applications.issue_result">
      <bpmn:extensionElements>
        <camunda:properties>
          <camunda:property name="certificate_type" value="individual_business_licence" />
        </camunda:properties>
      </bpmn:extensionElements>
    </bpmn:serviceTask>

Installing a process refuses a type that is unknown or has no mapping below. On approval the
handler fills every field of the type from the sources listed for it, first non-empty source
wins:

``form.<key>``                the application's (validated) form data
``profile.real_name|id_number``  the applicant's real-name profile
``enterprise.name|uscc``      the enterprise an agent applied for
``certificate.<type>.<key>``  a certificate of ``<type>`` the applicant offered instead of a
                              material (免提交), e.g. the business licence behind a food licence
``assigned.uscc``             a unified social credit code assigned by this registration
                              (GB 32100: 9 = market regulation, 2 = individual business)
``months_since.<key>``        whole months from the form's ``YYYY-MM`` value to the decision

A field no source can fill makes the handler fail with ``MSG_CERTIFICATE_DATA_MISSING``: the
step that reached the service task is rolled back whole (nothing half-finished), and the
clerk (or the applicant, for an instant item) sees which data is missing.

The demo has no social-insurance data exchange, so 社会保险参保证明 takes the insured-since
month and the insurance types from the application form; a deployment connected to the
social-insurance system replaces those two sources, nothing else changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.ids import USCC_ALPHABET, uscc_check_char

MSG_CERTIFICATE_DATA_MISSING = _(
    "The e-certificate cannot be issued: the application lacks %(fields)s. Nothing was "
    "changed; ask the applicant for the missing data (补正) or correct the process."
)

CERTIFICATE_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    # 社会保险参保证明 (RS-0001, 即办)
    "social_insurance_record": {
        "name": ("profile.real_name",),
        "id_number": ("profile.id_number",),
        "insurance_types": ("form.insurance_types",),
        "since": ("form.insured_since",),
        "months": ("months_since.insured_since",),
    },
    # 个体工商户营业执照 (SJ-0001 个体工商户设立登记)
    "individual_business_licence": {
        "business_name": ("form.business_name",),
        "operator": ("profile.real_name",),
        "credit_code": ("assigned.uscc",),
        "scope": ("form.business_scope",),
        "address": ("form.premises_address",),
    },
    # 食品经营许可证 (SJ-0003 食品经营许可)
    "food_business_licence": {
        "operator": (
            "enterprise.name",
            "certificate.individual_business_licence.business_name",
            "form.operator_name",
        ),
        "credit_code": (
            "enterprise.uscc",
            "certificate.individual_business_licence.credit_code",
            "form.credit_code",
        ),
        "main_business": ("form.main_business",),
        "items": ("form.food_items",),
        "address": (
            "form.premises_address",
            "certificate.individual_business_licence.address",
        ),
    },
}


def certificate_type_issuable(code: str) -> bool:
    """Known to the certificates app and mapped here (checked when a process is installed)."""
    from yiwang.certificates.models import CertificateType

    ctype = CertificateType.objects.filter(code=code).first()
    if ctype is None or code not in CERTIFICATE_FIELDS:
        return False
    return set(ctype.field_keys) <= set(CERTIFICATE_FIELDS[code])


def assigned_uscc(application: Any) -> str:
    """A unified social credit code for a new individual business, stable per application."""
    digest = hashlib.sha256(f"uscc:{application.number}".encode()).digest()
    body = "".join(USCC_ALPHABET[b % len(USCC_ALPHABET)] for b in digest[:9])
    first17 = f"92{application.region_code[:6]:0<6}{body}"
    return first17 + uscc_check_char(first17)


def _months_since(value: str, today: dt.date) -> str:
    try:
        year, month = (int(part) for part in str(value).split("-")[:2])
    except ValueError:
        return ""
    months = (today.year - year) * 12 + (today.month - month)
    return str(months) if months >= 0 else ""


def _linked_certificate_data(application: Any, type_code: str) -> dict[str, Any]:
    link = (
        application.materials.filter(certificate__certificate_type__code=type_code)
        .select_related("certificate")
        .first()
    )
    return dict(link.certificate.data) if link is not None else {}


def _source(application: Any, source: str) -> str:
    kind, _dot, rest = source.partition(".")
    if kind == "form":
        return str((application.form_data or {}).get(rest, "") or "")
    if kind == "profile":
        profile = getattr(application.applicant, "citizen", None)
        return str(getattr(profile, rest, "") or "") if profile is not None else ""
    if kind == "enterprise":
        enterprise = application.enterprise
        return str(getattr(enterprise, rest, "") or "") if enterprise is not None else ""
    if kind == "certificate":
        type_code, _dot, key = rest.partition(".")
        return str(_linked_certificate_data(application, type_code).get(key, "") or "")
    if kind == "assigned" and rest == "uscc":
        return assigned_uscc(application)
    if kind == "months_since":
        raw = (application.form_data or {}).get(rest, "")
        return _months_since(str(raw), timezone.localdate()) if raw else ""
    return ""


def certificate_data_build(*, application: Any, certificate_type_code: str) -> dict[str, str]:
    """Every field of the certificate type, or ``ValidationError`` naming what is missing."""
    mapping = CERTIFICATE_FIELDS.get(certificate_type_code, {})
    data: dict[str, str] = {}
    missing: list[str] = []
    for key, sources in mapping.items():
        value = next((v for v in (_source(application, s).strip() for s in sources) if v), "")
        if value:
            data[key] = value
        else:
            missing.append(key)
    if missing or not mapping:
        from yiwang.certificates.models import CertificateType

        ctype = CertificateType.objects.filter(code=certificate_type_code).first()
        labels = [ctype.field_label(k) if ctype else k for k in missing]
        raise ValidationError(
            MSG_CERTIFICATE_DATA_MISSING,
            code="certificate_data_missing",
            params={"fields": "、".join(labels) or certificate_type_code},
        )
    return data
