"""Demo data: the four certificate types and a signing key (certificates come from approvals)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yiwang.certificates.models import CertificateType, SigningKey
from yiwang.certificates.signing.services import signing_key_rotate


def _f(key: str, name: str, name_en: str, disclosed: bool = True) -> dict[str, Any]:
    return {"key": key, "name": name, "name_en": name_en, "disclosed": disclosed}


TYPES: tuple[dict[str, Any], ...] = (
    {
        "code": "individual_business_licence",
        "name": "个体工商户营业执照",
        "name_en": "Individual business licence",
        "validity_days": None,
        "fields": [
            _f("business_name", "名称", "Business name"),
            _f("operator", "经营者", "Operator"),
            _f("credit_code", "统一社会信用代码", "Unified social credit code"),
            _f("scope", "经营范围", "Business scope"),
            _f("address", "经营场所", "Premises", disclosed=False),
        ],
        "statement": "$business_name 经依法登记，准予从事个体工商户经营活动，经营范围：$scope。",
        "statement_en": "$business_name is registered as an individual business. Scope: $scope.",
    },
    {
        "code": "social_insurance_record",
        "name": "社会保险参保证明",
        "name_en": "Social insurance participation record",
        "validity_days": 90,
        "fields": [
            _f("name", "姓名", "Name"),
            _f("id_number", "公民身份号码", "Citizen ID number", disclosed=False),
            _f("insurance_types", "参保险种", "Insurance types"),
            _f("since", "参保起始年月", "Insured since"),
            _f("months", "累计缴费月数", "Months of contributions"),
        ],
        "statement": (
            "兹证明 $name 自 $since 起在本地参加社会保险（$insurance_types），"
            "累计缴费 $months 个月。"
        ),
        "statement_en": (
            "This certifies that $name has been insured locally since $since "
            "($insurance_types), with $months months of contributions."
        ),
    },
    {
        "code": "food_business_licence",
        "name": "食品经营许可证",
        "name_en": "Food business licence",
        "validity_days": 5 * 365,
        "fields": [
            _f("operator", "经营者名称", "Operator"),
            _f("credit_code", "统一社会信用代码", "Unified social credit code"),
            _f("main_business", "主体业态", "Type of business"),
            _f("items", "经营项目", "Licensed items"),
            _f("address", "经营场所", "Premises", disclosed=False),
        ],
        "statement": "$operator 经审查符合食品经营条件，准予从事：$items。",
        "statement_en": "$operator meets the conditions for food business and may sell: $items.",
    },
    {
        "code": "health_certificate",
        "name": "健康证明",
        "name_en": "Health certificate",
        "validity_days": 365,
        "fields": [
            _f("name", "姓名", "Name"),
            _f("id_number", "公民身份号码", "Citizen ID number", disclosed=False),
            _f("category", "从业类别", "Occupation category"),
            _f("result", "体检结论", "Examination result"),
        ],
        "statement": "$name 经健康检查，结论为：$result，可从事 $category 工作。",
        "statement_en": "$name was examined and found $result for work in $category.",
    },
)


@transaction.atomic
def demo_certificates_load() -> int:
    """Idempotent: the types are upserted and the first signing key created once. The demo
    citizen's certificates are not made here: they come from approvals (``demo_applications``
    carries the demo cases through their processes, whose service tasks issue them)."""
    if not SigningKey.objects.filter(is_active=True).exists():
        signing_key_rotate()
    for spec in TYPES:
        CertificateType.objects.update_or_create(
            code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
        )
    return len(TYPES)
