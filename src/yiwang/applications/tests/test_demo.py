"""The demo processes: installed and linked once, and an instant application decided."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yiwang.applications.demo import DEMO_LINKS, applications_demo_load
from yiwang.applications.models import ProcessDefinition, Status
from yiwang.applications.services import application_draft_save, application_submit
from yiwang.applications.tests.factories import citizen, platform_admin
from yiwang.catalog.demo.load import catalog_demo_load
from yiwang.catalog.models import Implementation

pytestmark = pytest.mark.django_db


def test_demo_installs_links_and_is_idempotent() -> None:
    catalog_demo_load()
    admin = platform_admin()
    first = applications_demo_load(admin=admin)
    linked = Implementation.objects.filter(item__code__in=DEMO_LINKS)
    assert first == {"installed": 3, "linked": linked.count()}
    assert sorted(ProcessDefinition.objects.values_list("key", "version")) == [
        ("food_business_licence", 1),
        ("individual_business_registration", 1),
        ("social_insurance_certificate", 1),
    ]
    for implementation in linked:
        assert implementation.published_version is not None
        assert implementation.published_version.process_ref == DEMO_LINKS[implementation.item.code]
    assert applications_demo_load(admin=admin) == {"installed": 0, "linked": 0}

    instant = linked.filter(item__code="RS-0001").first()
    assert instant is not None
    user = citizen()
    app = application_draft_save(
        user=user,
        implementation=instant,
        form_data={"contact_phone": "13800138000", "delivery": "electronic"},
    )
    app = application_submit(user=user, application=app, submit_token=uuid.uuid4())
    assert app.status == Status.APPROVED


def test_command_needs_a_platform_admin() -> None:
    with pytest.raises(CommandError, match="No platform admin"):
        call_command("demo_applications")
