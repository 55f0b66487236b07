"""The demo: processes installed and linked once, and the demo citizen's cases carried
through their processes so the wallet holds certificates that came from approvals."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yiwang.accounts.demo import demo_people_load
from yiwang.applications.demo import DEMO_LINKS, applications_demo_load
from yiwang.applications.models import Application, ProcessDefinition, Status, WorkItemStatus
from yiwang.applications.tests.factories import platform_admin
from yiwang.catalog.demo.load import catalog_demo_load
from yiwang.catalog.models import Implementation
from yiwang.certificates.models import Certificate
from yiwang.regions.tests.factories import region_chain

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
        version = implementation.published_version
        assert version is not None
        assert version.process_ref == DEMO_LINKS[implementation.item.code]
        assert "contact_phone" in version.form_schema["properties"]
    food = linked.filter(item__code="SJ-0003").first()
    assert food is not None and food.published_version is not None
    assert food.published_version.materials.filter(
        reusable_certificate_type="individual_business_licence"
    ).exists()
    assert applications_demo_load(admin=admin) == {"installed": 0, "linked": 0}


def test_demo_command_carries_the_citizen_through_and_runs_twice() -> None:
    region_chain(["44", "4401", "440106", "440106006", "440106006002"])
    region_chain(["44", "4401", "440106", "440106006", "440106006004"])
    demo_people_load()
    catalog_demo_load()
    call_command("demo_certificates", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_applications", stdout=out)
    citizen = Application.objects.first().applicant  # type: ignore[union-attr]
    cases = {a.form_data["notes"]: a for a in Application.objects.filter(applicant=citizen)}
    assert cases["演示办件 instant"].status == Status.APPROVED
    assert cases["演示办件 licence"].status == Status.APPROVED
    assert cases["演示办件 pool"].status == Status.SUBMITTED
    food = cases["演示办件 food"]
    assert food.status == Status.UNDER_REVIEW
    waiting = food.items.get(status=WorkItemStatus.OPEN)
    assert (waiting.bpmn_id, waiting.department.kind, waiting.claimed_by) == (  # type: ignore[union-attr]
        "inspect",
        "health",
        None,
    )
    # The food application offered the business licence instead of an upload (免提交).
    offered = food.materials.get(certificate__isnull=False)
    assert offered.certificate == cases["演示办件 licence"].result_certificate
    assert offered.verification_status == "valid"
    wallet = set(
        Certificate.objects.filter(holder=citizen).values_list("certificate_type__code", flat=True)
    )
    assert wallet == {"social_insurance_record", "individual_business_licence"}
    assert not Certificate.objects.exclude(source_reference__startswith="application:").exists()
    before = (Application.objects.count(), Certificate.objects.count())
    call_command("demo_applications", stdout=io.StringIO())
    assert (Application.objects.count(), Certificate.objects.count()) == before
    assert "→ certificate" in out.getvalue()


def test_command_needs_a_platform_admin() -> None:
    with pytest.raises(CommandError, match="No platform admin"):
        call_command("demo_applications")
