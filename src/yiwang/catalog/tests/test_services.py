# ruff: noqa: E501  (tables of cases read best one per line)
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yiwang.accounts.models import DepartmentKind
from yiwang.accounts.tests.factories import StaffFactory
from yiwang.audit.models import AuditEntry
from yiwang.catalog import services
from yiwang.catalog.models import (
    MSG_PUBLISHED_IMMUTABLE,
    MSG_RETIRED_IMMUTABLE,
    Material,
    SearchDocument,
    ServiceItem,
    VersionStatus,
)
from yiwang.catalog.permissions import MSG_OWN_DRAFT
from yiwang.catalog.services.items import MSG_CODE_TAKEN, MSG_DRAFT_EXISTS, MSG_NOT_IN_REVIEW
from yiwang.catalog.tests.factories import (
    department_for,
    draft_implementation,
    draft_item,
    impl_content,
    item_content,
    published_item,
)

pytestmark = pytest.mark.django_db
MARKET = DepartmentKind.MARKET_REGULATION


def editor(**kw):
    return StaffFactory(roles=["department_admin"], department_kind=MARKET, **kw)


def reviewer(**kw):
    return StaffFactory(roles=["reviewer"], department_kind=MARKET, **kw)


def test_department_admin_drafts_and_another_reviewer_publishes():
    author, checker = editor(), reviewer()
    version = services.item_create(
        code="SJ-9001", item_type="licensing", department_kind=MARKET, region_level=3,
        persona="legal", content=item_content(name_zh="小摊点备案"), by=author,
    )  # fmt: skip
    services.item_version_submit(version=version, by=author)

    services.item_version_publish(version=version, by=checker)

    item = ServiceItem.objects.get(code="SJ-9001")
    assert item.published_version == version
    version.refresh_from_db()
    assert (version.status, version.published_by) == (VersionStatus.PUBLISHED, checker)
    assert SearchDocument.objects.get(item=item).suggest_zh == "小摊点备案"
    entry = AuditEntry.objects.filter(action="catalog.item.published").latest("sequence")
    assert (entry.target_id, entry.details) == ("SJ-9001", {"version": 1, "retired": None})


def test_a_published_version_cannot_be_changed_in_place():
    item, _impl = published_item(name_zh="原名称")
    version = item.published_version

    version.name_zh = "改过的名称"
    with pytest.raises(ValidationError) as caught:
        version.save()

    assert caught.value.messages == [str(MSG_PUBLISHED_IMMUTABLE)]
    version.refresh_from_db()
    assert version.name_zh == "原名称"
    with pytest.raises(ValidationError):
        version.delete()


def test_editing_makes_a_new_draft_and_publishing_it_retires_the_old_version():
    item, _impl = published_item(name_zh="旧名称")
    old = item.published_version
    draft = services.item_version_draft(item=item, by=None)
    services.item_version_update(version=draft, content={"name_zh": "新名称"}, by=None)
    services.item_version_submit(version=draft, by=None)

    services.item_version_publish(version=draft, by=None)

    old.refresh_from_db()
    item.refresh_from_db()
    assert (draft.number, item.published_version_id) == (2, draft.pk)
    assert (old.status, old.name_zh) == (VersionStatus.RETIRED, "旧名称")
    assert SearchDocument.objects.get(item=item).suggest_zh == "新名称"
    old.name_zh = "篡改"
    with pytest.raises(ValidationError) as caught:
        old.save()
    assert caught.value.messages == [str(MSG_RETIRED_IMMUTABLE)]


def test_only_one_open_draft_per_item():
    item, _impl = published_item()
    services.item_version_draft(item=item, by=None)

    with pytest.raises(ValidationError) as caught:
        services.item_version_draft(item=item, by=None)

    assert caught.value.messages == [str(MSG_DRAFT_EXISTS)]
    assert item.versions.count() == 2


def test_author_cannot_publish_their_own_draft():
    author = StaffFactory(roles=["department_admin", "reviewer"], department_kind=MARKET)
    version = draft_item(kind=MARKET)
    version.created_by = author
    version.save()
    services.item_version_submit(version=version, by=author)

    with pytest.raises(ValidationError) as caught:
        services.item_version_publish(version=version, by=author)

    assert caught.value.messages == [str(MSG_OWN_DRAFT)]
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW


def test_a_draft_must_be_reviewed_before_a_reviewer_publishes_it():
    version = draft_item(kind=MARKET)

    with pytest.raises(ValidationError) as caught:
        services.item_version_publish(version=version, by=reviewer())

    assert caught.value.messages == [str(MSG_NOT_IN_REVIEW)]


@pytest.mark.parametrize(
    ("roles", "kind"),
    [(["clerk"], MARKET), (["department_admin"], DepartmentKind.PUBLIC_SECURITY)],
)
def test_staff_without_the_role_or_of_another_department_cannot_draft(roles, kind):
    with pytest.raises(PermissionDenied):
        services.item_create(
            code="SJ-9002", item_type="licensing", department_kind=MARKET, region_level=3,
            persona="legal", content=item_content(),
            by=StaffFactory(roles=roles, department_kind=kind),
        )  # fmt: skip
    assert not ServiceItem.objects.filter(code="SJ-9002").exists()


def test_clerk_cannot_publish():
    version = draft_item(kind=MARKET)
    services.item_version_submit(version=version, by=None)

    with pytest.raises(PermissionDenied):
        services.item_version_publish(version=version, by=StaffFactory(roles=["clerk"]))


def test_duplicate_item_code_is_refused():
    draft_item(code="SJ-0100")

    with pytest.raises(ValidationError) as caught:
        draft_item(code="SJ-0100")

    assert caught.value.message_dict == {"code": [str(MSG_CODE_TAKEN)]}


def test_implementation_editor_must_be_inside_the_region():
    version = draft_item(kind=MARKET)
    services.item_version_publish(version=version, by=None, skip_review=True)
    outsider = editor(region_code="440305")

    with pytest.raises(PermissionDenied):
        services.implementation_create(
            item=version.item, department=department_for("440106"), content=impl_content(),
            materials=[], by=outsider,
        )  # fmt: skip


def test_implementation_versions_copy_materials_and_freeze_on_publish():
    item, impl = published_item()
    published = impl.published_version
    material = published.materials.get()

    material.name_zh = "改"
    with pytest.raises(ValidationError):
        material.save()
    with pytest.raises(ValidationError):
        Material.objects.create(version=published, name_zh="新", name_en="n", form="copy")

    draft = services.implementation_version_draft(implementation=impl, by=None)
    services.implementation_version_update(
        version=draft, content={"promised_limit_days": 0}, materials=None, by=None
    )
    services.implementation_version_submit(version=draft, by=None)
    services.implementation_version_publish(version=draft, by=None)

    impl.refresh_from_db()
    published.refresh_from_db()
    assert impl.published_version == draft
    assert [m.name_zh for m in draft.materials.all()] == ["居民身份证"]
    assert (published.status, draft.promised_limit_days) == (VersionStatus.RETIRED, 0)


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        ({"channels": ["online", "fax"]}, {"channels": ["Choose channels from the list, each at most once."]}),
        ({"promised_limit_days": 30}, {"promised_limit_days": ["The promised time limit cannot be longer than the legal one."]}),
        ({"fee_free": False}, {"fee_amount": ["Give the fee amount in yuan, more than zero, or mark it free."]}),
        ({"procedure": [{"title_en": "no chinese"}]}, {"procedure": ["Each procedure step needs a Chinese title; steps are a list of objects with title_zh, title_en, detail_zh and detail_en."]}),
        ({"form_schema": {"type": "object", "properties": {"x": {"type": "date"}}}}, {"form_schema": ["Field x is not valid: type must be string, integer, number or boolean"]}),
    ],
)  # fmt: skip
def test_bad_implementation_content_is_refused_and_nothing_is_saved(content, errors):
    version = draft_item(kind=MARKET)
    services.item_version_publish(version=version, by=None, skip_review=True)

    with pytest.raises(ValidationError) as caught:
        draft_implementation(version.item, **content)

    assert caught.value.message_dict == errors
    assert not version.item.implementations.exists()


def test_implementation_of_an_unpublished_item_cannot_be_published():
    version = draft_item(kind=MARKET)
    impl_version = draft_implementation(version.item)

    with pytest.raises(ValidationError) as caught:
        services.implementation_version_publish(version=impl_version, by=None, skip_review=True)

    assert caught.value.messages == [
        "Publish the service item before publishing how it is carried out."
    ]


def test_retiring_an_item_removes_it_from_search():
    item, _impl = published_item()

    services.item_retire(item=item, by=None)

    item.refresh_from_db()
    assert item.published_version is None
    assert not SearchDocument.objects.filter(item=item).exists()
    assert item.versions.get().status == VersionStatus.RETIRED


def test_bundle_needs_published_items():
    item, _impl = published_item()

    with pytest.raises(ValidationError) as caught:
        services.bundle_save(
            code="x", name_zh="某事", name_en="Something", persona="personal",
            item_codes=[item.code, "NOPE-1"], by=None,
        )  # fmt: skip

    assert caught.value.messages == ["These item codes are unknown or not published: NOPE-1."]
