from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from yiwang.certificates.models import Certificate, CertificateType, SigningKey
from yiwang.certificates.tests.factories import issued

pytestmark = pytest.mark.django_db


def test_signed_records_are_read_only_and_hide_secrets(rf: RequestFactory) -> None:
    certificate = issued()
    request = rf.get("/admin/")
    for model in (Certificate, SigningKey):
        model_admin = admin.site._registry[model]
        assert model_admin.has_add_permission(request) is False
        assert model_admin.has_change_permission(request) is False
        assert model_admin.has_delete_permission(request) is False
    assert "private_key" in admin.site._registry[SigningKey].exclude
    assert "data" in admin.site._registry[Certificate].exclude
    found, _ = admin.site._registry[Certificate].get_search_results(
        request, Certificate.objects.all(), certificate.number[:10]
    )
    assert list(found) == [certificate]
    assert CertificateType in admin.site._registry  # types are edited by platform admins
