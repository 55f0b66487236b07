"""Uploaded materials: type by content (magic numbers), size limit, SHA-256, Django storage."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from yiwang.applications.models import Application, ApplicationMaterial, Status
from yiwang.catalog.models import Material

MSG_TOO_BIG = _("The file is larger than %(limit)s.")
MSG_EMPTY = _("The file is empty.")
MSG_TYPE_NOT_ALLOWED = _("Only PDF, JPEG and PNG files can be uploaded.")
MSG_TYPE_MISMATCH = _(
    "The file's content is %(actual)s but its name says %(claimed)s. Upload the real file."
)
MSG_NOT_EDITABLE = _("Materials can only be added to a draft or when a supplement is asked for.")
MSG_WRONG_MATERIAL = _("This material is not one this service asks for.")

# Content type -> the file name extensions that may carry it.
ALLOWED = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def upload_max_bytes() -> int:
    return int(getattr(settings, "APPLICATIONS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _sniff(upload: UploadedFile) -> str:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return str(kind.mime) if kind is not None else ""


def upload_check(upload: UploadedFile) -> str:
    """The file's real content type, or a ``ValidationError`` saying what is wrong."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(MSG_EMPTY, code="empty")
    if size > upload_max_bytes():
        raise ValidationError(
            MSG_TOO_BIG, code="too_big", params={"limit": filesizeformat(upload_max_bytes())}
        )
    actual = _sniff(upload)
    if actual not in ALLOWED:
        raise ValidationError(MSG_TYPE_NOT_ALLOWED, code="type_not_allowed")
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ALLOWED[actual]:
        raise ValidationError(
            MSG_TYPE_MISMATCH,
            code="type_mismatch",
            params={"actual": actual, "claimed": suffix or "?"},
        )
    return actual


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def application_material_add(
    *, user: Any, application: Application, upload: UploadedFile, material: Material | None
) -> ApplicationMaterial:
    content_type = upload_check(upload)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != user.pk:
        raise PermissionDenied
    if locked.status not in (Status.DRAFT, Status.SUPPLEMENT_REQUESTED):
        raise ValidationError(MSG_NOT_EDITABLE, code="not_editable")
    if material is not None and material.version_id != locked.implementation_version_id:
        raise ValidationError(MSG_WRONG_MATERIAL, code="wrong_material")
    stored = ApplicationMaterial(
        application=locked,
        material=material,
        original_name=PurePath(upload.name or "file").name[:255],
        content_type=content_type,
        size=upload.size or 0,
        sha256=_sha256(upload),
    )
    # Stored under a random name: the applicant's file name never becomes a path.
    stored.file.save(
        f"{stored.sha256[:16]}{PurePath(upload.name or '').suffix.lower()}", upload, save=False
    )
    stored.save()
    return stored
