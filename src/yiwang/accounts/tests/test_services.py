from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from yiwang.accounts import services
from yiwang.accounts.models import (
    ApiToken,
    CitizenProfile,
    Enterprise,
    EnterpriseAgent,
    LoginCode,
    StaffRole,
    User,
)
from yiwang.accounts.services import citizens, enterprises, login_codes, staff, tokens
from yiwang.accounts.tests.factories import (
    CitizenFactory,
    DepartmentFactory,
    EnterpriseFactory,
    chain_for,
    enterprise_agent,
    valid_resident_id,
    valid_uscc,
)
from yiwang.audit.models import AuditEntry
from yiwang.core import ids

pytestmark = pytest.mark.django_db
GOOD_ID = valid_resident_id("440106", serial=7)


def codes_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errs] for field, errs in exc.value.error_dict.items()}


# --- citizen_register ---------------------------------------------------------------------


def test_citizen_register_stores_encrypted_profile() -> None:
    chain_for("440106006002")
    user = services.citizen_register(
        phone="138 0013 8000",
        real_name=" 李 明 ",
        id_number=GOOD_ID.lower(),
        region_code="440106006002",
    )
    profile = CitizenProfile.objects.get(user=user)
    assert (profile.real_name, profile.id_number, profile.phone) == (
        "李 明",
        GOOD_ID,
        "13800138000",
    )
    assert profile.is_complete and user.is_citizen


@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        (GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1"), "resident_id_check"),
        ("440106" + "19900230" + "1234", "resident_id_date"),  # 30 February
        ("44010619900230123", "resident_id_format"),
        ("440106" + "19900230" + "123" + "X", "resident_id_date"),
    ],
)
def test_citizen_register_rejects_bad_id_number(id_number: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.citizen_register(phone="13800138000", real_name="李明", id_number=id_number)
    assert codes_of(exc) == {"id_number": [code]}
    assert User.objects.count() == 0


def test_citizen_register_duplicate_id_number_creates_nothing() -> None:
    services.citizen_register(phone="13800138000", real_name="李明", id_number=GOOD_ID)
    with pytest.raises(ValidationError) as exc:
        services.citizen_register(phone="13800138001", real_name="李明", id_number=GOOD_ID)
    assert codes_of(exc) == {"id_number": ["id_number_taken"]}
    assert exc.value.error_dict["id_number"][0].message == citizens.MSG_ID_NUMBER_TAKEN
    assert User.objects.count() == 1


def test_citizen_register_duplicate_phone_creates_nothing() -> None:
    services.citizen_register(phone="13800138000", real_name="李明", id_number=GOOD_ID)
    with pytest.raises(ValidationError) as exc:
        services.citizen_register(
            phone="13800138000", real_name="王芳", id_number=valid_resident_id()
        )
    assert codes_of(exc) == {"phone": ["phone_taken"]}
    assert User.objects.count() == 1


def test_citizen_register_bad_phone_and_unknown_region() -> None:
    with pytest.raises(ValidationError) as exc:
        services.citizen_register(phone="12345", real_name="李明", id_number=GOOD_ID)
    assert codes_of(exc) == {"phone": ["phone_format"]}
    with pytest.raises(ValidationError) as exc:
        services.citizen_register(
            phone="13800138000", real_name="李明", id_number=GOOD_ID, region_code="999999"
        )
    assert codes_of(exc) == {"region_code": ["region_unknown"]}
    assert User.objects.count() == 0


def test_citizen_profile_complete_once() -> None:
    chain_for("440106006002")
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    user = services.login_code_verify(
        phone="13800138000", code=issued.dev_code or "", ip="10.0.0.1"
    )
    assert not user.citizen.is_complete
    with pytest.raises(ValidationError) as exc:
        services.citizen_profile_complete(user=user, real_name="", id_number="x", region_code="")
    assert set(codes_of(exc)) == {"real_name", "id_number", "region_code"}
    services.citizen_profile_complete(
        user=user, real_name="李明", id_number=GOOD_ID, region_code="440106006002"
    )
    user.refresh_from_db()
    assert user.citizen.is_complete and user.display_name == "李明"
    with pytest.raises(ValidationError) as exc:
        services.citizen_profile_complete(
            user=user, real_name="王", id_number=GOOD_ID, region_code="440106006002"
        )
    assert exc.value.code == "profile_complete"


def test_profile_update_validates_language_and_email() -> None:
    user = CitizenFactory().user
    with pytest.raises(ValidationError) as exc:
        services.profile_update(user=user, language="fr", email="not-an-email")
    assert codes_of(exc) == {"language": ["language_unknown"], "email": ["invalid"]}
    services.profile_update(user=user, language="en", display_name="  Li  Ming ")
    user.refresh_from_db()
    assert (user.language, user.display_name) == ("en", "Li Ming")


# --- enterprises -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda u: u[:17] + ("0" if u[17] != "0" else "1"), "uscc_check"),
        (lambda u: u[:5] + "I" + u[6:], "uscc_format"),
        (lambda u: u[:5] + "O" + u[6:], "uscc_format"),
        (lambda u: u[:5] + "S" + u[6:], "uscc_format"),
        (lambda u: u[:5] + "V" + u[6:], "uscc_format"),
        (lambda u: u[:5] + "Z" + u[6:], "uscc_format"),
    ],
)
def test_enterprise_register_rejects_bad_uscc(mutate, code: str) -> None:  # type: ignore[no-untyped-def]
    agent = CitizenFactory().user
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(
            uscc=mutate(valid_uscc()),
            name="某公司",
            legal_representative="王五",
            region_code="440106",
            agent=agent,
        )
    assert codes_of(exc) == {"uscc": [code]}
    assert Enterprise.objects.count() == 0


def test_enterprise_register_and_agents() -> None:
    agent = CitizenFactory(real_name="王五").user
    uscc = valid_uscc()
    enterprise = services.enterprise_register(
        uscc=uscc.lower(),
        name=" 某 公司 ",
        legal_representative="王五",
        region_code="440106",
        agent=agent,
    )
    assert (enterprise.uscc, enterprise.name) == (uscc, "某 公司")
    assert EnterpriseAgent.objects.get(enterprise=enterprise).is_legal_representative
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(
            uscc=uscc, name="x", legal_representative="y", region_code="440106", agent=agent
        )
    assert codes_of(exc) == {"uscc": ["uscc_taken"]}

    other = CitizenFactory().user
    services.enterprise_agent_add(enterprise=enterprise, by=agent, user=other)
    with pytest.raises(ValidationError) as exc:
        services.enterprise_agent_add(enterprise=enterprise, by=agent, user=other)
    assert codes_of(exc) == {"user": ["already_agent"]}
    stranger = CitizenFactory().user
    with pytest.raises(Http404):
        services.enterprise_agent_add(enterprise=enterprise, by=stranger, user=stranger)
    services.enterprise_agent_remove(enterprise=enterprise, by=agent, user=other)
    with pytest.raises(ValidationError) as exc:
        services.enterprise_agent_remove(enterprise=enterprise, by=agent, user=agent)
    assert exc.value.code == "last_agent"
    assert list(enterprise.agents.all()) == [agent]


def test_enterprise_register_needs_complete_citizen() -> None:
    incomplete = CitizenFactory(real_name="", id_number="").user
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(
            uscc=valid_uscc(),
            name="x",
            legal_representative="y",
            region_code="440106",
            agent=incomplete,
        )
    assert codes_of(exc) == {"agent": ["agent_not_citizen"]}
    assert exc.value.error_dict["agent"][0].message == enterprises.MSG_AGENT_NOT_CITIZEN


def test_enterprise_agent_remove_unknown_user_is_not_found() -> None:
    agent = CitizenFactory().user
    enterprise = EnterpriseFactory()
    enterprise_agent(enterprise, agent)
    with pytest.raises(Http404):
        services.enterprise_agent_remove(
            enterprise=enterprise, by=agent, user=CitizenFactory().user
        )


# --- login codes --------------------------------------------------------------------------


def test_login_code_request_stores_hash_not_code() -> None:
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    row = LoginCode.objects.get()
    assert issued.dev_code is not None and len(issued.dev_code) == 6 and issued.dev_code.isdigit()
    assert issued.dev_code not in row.code_hash and len(row.code_hash) == 64
    assert issued.phone_masked == "138****8000"
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)


@override_settings(SHOW_DEV_CODES=False)
def test_login_code_not_shown_when_dev_codes_off() -> None:
    assert services.login_code_request(phone="13800138000", ip="10.0.0.1").dev_code is None


def test_unknown_and_known_phone_behave_the_same() -> None:
    CitizenFactory(phone="13800138000")
    known = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    unknown = services.login_code_request(phone="13900139000", ip="10.0.0.1")
    assert type(known) is type(unknown)
    assert LoginCode.objects.count() == 2


def test_first_login_creates_incomplete_citizen_and_audits() -> None:
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    user = services.login_code_verify(
        phone="13800138000", code=issued.dev_code or "", ip="10.0.0.1"
    )
    assert user.citizen.phone == "13800138000" and not user.citizen.is_complete
    entry = AuditEntry.objects.filter(action="auth.login").get()
    assert entry.details == {"method": "phone_code", "new_account": True}


def test_known_phone_logs_into_existing_account() -> None:
    profile = CitizenFactory(phone="13800138000")
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    assert (
        services.login_code_verify(phone="13800138000", code=issued.dev_code or "", ip="1.1.1.1")
        == profile.user
    )


def test_code_is_single_use() -> None:
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    services.login_code_verify(phone="13800138000", code=issued.dev_code or "", ip="10.0.0.1")
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone="13800138000", code=issued.dev_code or "", ip="10.0.0.1")
    assert codes_of(exc) == {"code": ["code_used"]}


def test_code_expires_after_five_minutes() -> None:
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=1)):
        with pytest.raises(ValidationError) as exc:
            services.login_code_verify(
                phone="13800138000", code=issued.dev_code or "", ip="10.0.0.1"
            )
    assert codes_of(exc) == {"code": ["code_expired"]}
    assert exc.value.error_dict["code"][0].message == login_codes.MSG_CODE_EXPIRED
    assert User.objects.count() == 0


def test_wrong_code_counts_attempts_then_burns_code() -> None:
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    wrong = "000000" if issued.dev_code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError) as exc:
            services.login_code_verify(phone="13800138000", code=wrong, ip="10.0.0.1")
        assert codes_of(exc) == {"code": ["code_wrong"]}
    assert LoginCode.objects.get().attempts == 5
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone="13800138000", code=issued.dev_code or "", ip="10.0.0.1")
    assert codes_of(exc) == {"code": ["code_attempts"]}
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 6


def test_new_code_supersedes_old() -> None:
    first = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    second = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    if first.dev_code != second.dev_code:
        with pytest.raises(ValidationError):
            services.login_code_verify(
                phone="13800138000", code=first.dev_code or "", ip="10.0.0.1"
            )
    assert services.login_code_verify(
        phone="13800138000", code=second.dev_code or "", ip="10.0.0.1"
    )


def test_bad_code_format() -> None:
    services.login_code_request(phone="13800138000", ip="10.0.0.1")
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone="13800138000", code="12ab", ip="10.0.0.1")
    assert codes_of(exc) == {"code": ["code_format"]}


@override_settings(LOGIN_CODE_LOCKOUT_FAILURES=3, LOGIN_CODE_MAX_ATTEMPTS=10)
def test_lockout_after_repeated_failures_says_when() -> None:
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    wrong = "000000" if issued.dev_code != "000000" else "111111"
    for _ in range(2):
        with pytest.raises(ValidationError) as exc:
            services.login_code_verify(phone="13800138000", code=wrong, ip="10.0.0.1")
        assert not isinstance(exc.value, services.LoginBlocked)
    with pytest.raises(services.LoginBlocked) as blocked:
        services.login_code_verify(phone="13800138000", code=wrong, ip="10.0.0.1")
    assert blocked.value.code == "locked_out"
    assert blocked.value.retry_at.strftime("%H:%M") in blocked.value.messages[0]
    # Even the right code is refused now, and so is a new code.
    with pytest.raises(services.LoginBlocked):
        services.login_code_verify(phone="13800138000", code=issued.dev_code or "", ip="10.0.0.1")
    with pytest.raises(services.LoginBlocked):
        services.login_code_request(phone="13800138000", ip="10.0.0.1")
    assert AuditEntry.objects.filter(action="auth.locked_out").count() == 1
    assert User.objects.count() == 0


@override_settings(LOGIN_CODE_RATE_PER_PHONE=(2, 3600))
def test_rate_limit_per_phone() -> None:
    for _ in range(2):
        services.login_code_request(phone="13800138000", ip="10.0.0.1")
    with pytest.raises(services.LoginBlocked) as blocked:
        services.login_code_request(phone="13800138000", ip="10.0.0.2")
    assert blocked.value.code == "rate_limited" and blocked.value.retry_after > 0
    services.login_code_request(phone="13800138001", ip="10.0.0.1")  # other phones still work
    assert LoginCode.objects.count() == 3


@override_settings(LOGIN_CODE_RATE_PER_IP=(2, 3600))
def test_rate_limit_per_ip() -> None:
    services.login_code_request(phone="13800138000", ip="10.0.0.9")
    services.login_code_request(phone="13800138001", ip="10.0.0.9")
    with pytest.raises(services.LoginBlocked) as blocked:
        services.login_code_request(phone="13800138002", ip="10.0.0.9")
    assert blocked.value.code == "rate_limited"
    assert LoginCode.objects.count() == 2


def test_inactive_citizen_cannot_log_in() -> None:
    profile = CitizenFactory(phone="13800138000")
    User.objects.filter(pk=profile.user_id).update(is_active=False)
    issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone="13800138000", code=issued.dev_code or "", ip="10.0.0.1")
    assert exc.value.code == "account_disabled"


# --- tokens -------------------------------------------------------------------------------


def test_api_token_create_and_revoke() -> None:
    user = CitizenFactory().user
    issued = services.api_token_create(user=user, name="phone app")
    assert issued.raw.startswith("yw_") and ApiToken.objects.get().token_hash == ApiToken.digest(
        issued.raw
    )
    with pytest.raises(Http404):
        services.api_token_revoke(user=CitizenFactory().user, token_id=issued.token.pk)
    services.api_token_revoke(user=user, token_id=issued.token.pk)
    assert ApiToken.objects.get().revoked_at is not None
    with pytest.raises(ValidationError) as exc:
        services.api_token_create(user=user, name=" ")
    assert codes_of(exc) == {"name": ["invalid"]}
    assert exc.value.error_dict["name"][0].message == tokens.MSG_TOKEN_NAME


# --- staff --------------------------------------------------------------------------------


def test_staff_create_with_roles_and_totp_uri() -> None:
    department = DepartmentFactory(region=chain_for("440106")[-1])
    created = services.staff_create(
        username="clerk1",
        password="a-long-enough-pass",
        display_name="陈",
        department=department,
        region_code="440106",
        roles=["clerk", "reviewer", "clerk"],
    )
    assert created.otpauth_uri.startswith("otpauth://totp/") and "secret=" in created.otpauth_uri
    assert sorted(StaffRole.objects.filter(staff=created.staff).values_list("role", flat=True)) == [
        "clerk",
        "reviewer",
    ]
    assert created.user.check_password("a-long-enough-pass") and not created.user.is_staff


def test_staff_create_rejects_bad_input_and_creates_nothing() -> None:
    department = DepartmentFactory(region=chain_for("440106")[-1])
    chain_for("440104")
    with pytest.raises(ValidationError) as exc:
        services.staff_create(
            username="",
            password="123",
            display_name="x",
            department=department,
            region_code="440106",
            roles=["wizard"],
        )
    assert set(codes_of(exc)) == {"username", "roles", "password"}
    with pytest.raises(ValidationError) as exc:
        services.staff_create(
            username="c2",
            password="a-long-enough-pass",
            display_name="x",
            department=department,
            region_code="440104",
            roles=["clerk"],
        )
    assert codes_of(exc) == {"region_code": ["region_outside"]}
    assert User.objects.count() == 0


def test_staff_totp_wrong_then_locked() -> None:
    department = DepartmentFactory(region=chain_for("440106")[-1])
    user = services.staff_create(
        username="c3",
        password="a-long-enough-pass",
        display_name="x",
        department=department,
        region_code="440106",
        roles=["clerk"],
    ).user
    for _ in range(staff.TOTP_FAILURE_LIMIT - 1):
        with pytest.raises(ValidationError) as exc:
            services.staff_login_totp(user=user, token="12")
        assert codes_of(exc) == {"token": ["totp_wrong"]}
    with pytest.raises(ValidationError) as exc:
        services.staff_login_totp(user=user, token="12")
    assert exc.value.code == "locked_out"
    assert AuditEntry.objects.filter(action="auth.locked_out").count() == 1


def test_ids_messages_are_the_core_constants() -> None:
    with pytest.raises(ValidationError) as exc:
        services.citizen_register(phone="13800138000", real_name="李明", id_number="1")
    assert exc.value.error_dict["id_number"][0].message == ids.MSG_RESIDENT_ID_FORMAT


def test_login_code_is_sent_by_sms_in_the_callers_language() -> None:
    from django.utils import translation

    from yiwang.notify.models import Delivery

    with translation.override("en"):
        issued = services.login_code_request(phone="13800138000", ip="10.0.0.1")
    delivery = Delivery.objects.get()
    assert (delivery.address, delivery.template, delivery.language) == (
        "13800138000",
        "login_code",
        "en",
    )
    assert issued.dev_code and issued.dev_code in delivery.body


def test_citizen_profile_complete_reports_every_problem_at_once() -> None:
    user = CitizenFactory(real_name="", id_number="", region=None).user
    with pytest.raises(ValidationError) as exc:
        services.citizen_profile_complete(user=user, real_name=" ", id_number="123", region_code="")
    assert codes_of(exc) == {
        "real_name": ["required"],
        "id_number": ["resident_id_format"],
        "region_code": ["required"],
    }
    assert not CitizenProfile.objects.get(user=user).is_complete
