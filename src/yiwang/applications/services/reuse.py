"""免提交: an e-certificate the applicant holds, offered instead of uploading a material."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.applications.models import Application, ApplicationMaterial, Status
from yiwang.applications.services._common import MSG_NOT_YOURS
from yiwang.applications.uploads import MSG_NOT_EDITABLE, MSG_WRONG_MATERIAL
from yiwang.audit.services import audit_log
from yiwang.catalog.models import Material
from yiwang.certificates.selectors import certificate_for_reuse, certificate_verify_online

MSG_MATERIAL_NOT_REUSABLE = _("This material cannot be replaced by an e-certificate.")
MSG_CERTIFICATE_NOT_VERIFIED = _("This certificate did not verify (%(status)s) and cannot be used.")


def _field_error(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError({"certificate": [ValidationError(message, code=code, params=params)]})


def certificate_link_check(*, user: Any, material: Material, number: str) -> Any:
    """The certificate, if ``user`` may offer it for ``material``: their own, of the type the
    material names, not revoked, not expired, and its signature verifies now."""
    if not material.reusable_certificate_type:
        raise _field_error(MSG_MATERIAL_NOT_REUSABLE, "material_not_reusable")
    try:
        certificate = certificate_for_reuse(
            user=user, number=number, certificate_type_code=material.reusable_certificate_type
        )
    except ValidationError as exc:
        raise ValidationError({"certificate": exc.error_list}) from exc
    result = certificate_verify_online(text=certificate.qr_payload)
    if not result.is_valid:
        raise _field_error(MSG_CERTIFICATE_NOT_VERIFIED, "not_verified", status=result.status)
    return certificate, result


@transaction.atomic
def application_material_certificate_link(
    *, user: Any, application: Application, material: Material, number: str
) -> ApplicationMaterial:
    """Link a held certificate to ``material`` with a snapshot of what was verified (number,
    type, result, disclosed fields). It replaces an earlier certificate for the same material.
    Anything wrong is a field error on ``certificate`` and nothing is saved."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != user.pk:
        raise PermissionDenied(MSG_NOT_YOURS)
    if locked.status not in (Status.DRAFT, Status.SUPPLEMENT_REQUESTED):
        raise ValidationError(MSG_NOT_EDITABLE, code="not_editable")
    if material.version_id != locked.implementation_version_id:
        raise ValidationError(MSG_WRONG_MATERIAL, code="wrong_material")
    certificate, result = certificate_link_check(user=user, material=material, number=number)
    locked.materials.filter(material=material, certificate__isnull=False).delete()
    linked = ApplicationMaterial.objects.create(
        application=locked,
        material=material,
        certificate=certificate,
        certificate_number=certificate.number,
        certificate_type_code=certificate.certificate_type.code,
        certificate_type_name=certificate.certificate_type.name,
        verification_status=result.status,
        verified_at=timezone.now(),
        disclosed_fields=[
            {
                "key": f["key"],
                "name": f["name"],
                "name_en": f.get("name_en", ""),
                "value": result.fields[f["key"]],
            }
            for f in certificate.certificate_type.fields
            if f["key"] in result.fields
        ],  # fmt: skip
    )
    audit_log(
        actor=user,
        action="applications.certificate_offered",
        target_type="application",
        target_id=locked.number,
        region_code=locked.region_code,
        details={"certificate": certificate.number, "material": material.pk},
    )
    return linked


def linked_certificates_recheck(*, application: Application) -> None:
    """At submission: every offered certificate must still be usable (revoked or expired
    since it was offered → the submission is refused with the field error)."""
    for linked in application.materials.filter(certificate__isnull=False).select_related(
        "material", "certificate"
    ):
        if linked.material is None:
            continue
        certificate_link_check(
            user=application.applicant, material=linked.material, number=linked.certificate_number
        )
