"""Uploads: checked by content, size-limited, hashed, stored through Django's storage."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.applications.models import ApplicationMaterial
from yiwang.applications.tests.factories import citizen, draft
from yiwang.applications.uploads import application_material_add

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b" " * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def test_pdf_is_stored_with_its_hash_and_sniffed_type() -> None:
    app = draft()
    material = app.implementation_version.materials.first()
    stored = application_material_add(
        user=app.applicant,
        application=app,
        upload=SimpleUploadedFile("身份证.PDF", PDF, content_type="application/octet-stream"),
        material=material,
    )
    assert stored.content_type == "application/pdf"
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF) and stored.original_name == "身份证.PDF"
    with stored.file.open("rb") as fh:
        assert fh.read() == PDF
    assert "身份证" not in stored.file.name


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.pdf", PNG, "type_mismatch"),
        ("run.pdf", b"MZ\x90\x00" + b"\x00" * 64, "type_not_allowed"),
        ("notes.png", b"just text pretending", "type_not_allowed"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(name: str, content: bytes, code: str) -> None:
    app = draft()
    with pytest.raises(ValidationError) as exc:
        application_material_add(
            user=app.applicant,
            application=app,
            upload=SimpleUploadedFile(name, content),
            material=None,
        )
    assert exc.value.code == code
    assert not ApplicationMaterial.objects.exists()


def test_file_over_the_limit_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.APPLICATIONS_UPLOAD_MAX_BYTES = 100
    app = draft()
    with pytest.raises(ValidationError) as exc:
        application_material_add(
            user=app.applicant,
            application=app,
            upload=SimpleUploadedFile("big.pdf", PDF + b" " * 200),
            material=None,
        )
    assert exc.value.code == "too_big"
    assert exc.value.message % exc.value.params == "The file is larger than 100\xa0bytes."


def test_someone_elses_application_is_refused() -> None:
    app = draft()
    with pytest.raises(PermissionDenied):
        application_material_add(
            user=citizen(), application=app, upload=SimpleUploadedFile("a.pdf", PDF), material=None
        )
