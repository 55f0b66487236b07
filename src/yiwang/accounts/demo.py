"""The demo personas in 广东省 (Guangdong): one of each kind of login, created idempotently.

The staff passwords and TOTP secrets are fixed and public, so printed otpauth URIs stay valid
across runs. They exist only for the demo; loading them in production is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts.models import (
    CitizenProfile,
    Department,
    DepartmentKind,
    Enterprise,
    EnterpriseAgent,
    Role,
    StaffProfile,
    StaffRole,
    User,
)
from yiwang.accounts.services import citizen_register, enterprise_register, staff_create
from yiwang.accounts.services.citizens import phone_index
from yiwang.accounts.services.staff import staff_totp_device_create
from yiwang.core.ids import resident_id_check_digit, uscc_check_char
from yiwang.regions.models import Region

DEMO_PASSWORD = "Yiwang-demo-2026"  # noqa: S105 - public demo credential, refused in production
REQUIRED_REGIONS = ("44", "4401", "440106", "440106006", "440106006002", "440106006004")


@dataclass(frozen=True)
class DemoLogin:
    persona: str
    login: str  # username, or phone for citizens
    password: str  # "" for citizens (they log in with a phone code)
    totp_secret: str  # base32, "" for citizens
    otpauth_uri: str
    current_code: str
    login_url: str


def demo_resident_id(prefix6: str, birth: str, sequence: str) -> str:
    first17 = prefix6 + birth + sequence
    return first17 + resident_id_check_digit(first17)


def demo_org_code(body8: str) -> str:
    """GB 11714 organisation code (the 9 characters inside a USCC) with its check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body8, weights, strict=True))
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def demo_uscc(region6: str, body8: str) -> str:
    first17 = (
        "91" + region6 + demo_org_code(body8)
    )  # 9 = market-regulation registered, 1 = enterprise
    return first17 + uscc_check_char(first17)


def demo_totp_key(username: str) -> str:
    """A fixed 20-byte secret per demo account (hex, as TOTPDevice stores it)."""
    return hashlib.sha1(f"yiwang-demo-totp:{username}".encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class StaffPersona:
    persona: str
    username: str
    display_name: str
    department: tuple[str, str, str, str]  # region code, kind, name, English name
    region_code: str
    roles: tuple[str, ...]
    platform_admin: bool = False


TIANHE_MARKET = (
    "440106",
    DepartmentKind.MARKET_REGULATION,
    "广州市天河区市场监督管理局",
    "Tianhe District Administration for Market Regulation",
)
GUANGZHOU_DATA = (
    "4401",
    DepartmentKind.DATA,
    "广州市政务服务和数据管理局",
    "Guangzhou Government Services and Data Administration",
)
GUANGZHOU_HRSS = (
    "4401",
    DepartmentKind.HUMAN_RESOURCES,
    "广州市人力资源和社会保障局",
    "Guangzhou Human Resources and Social Security Bureau",
)
STAFF = (
    StaffPersona(
        "County clerk (天河区 market regulation)",
        "clerk.tianhe",
        "陈晓东",
        TIANHE_MARKET,
        "440106",
        (Role.CLERK, Role.REVIEWER),
    ),
    StaffPersona(
        "Township community worker (石牌街道)",
        "worker.shipai",
        "黄丽娟",
        (
            "440106006",
            DepartmentKind.GOVERNMENT,
            "广州市天河区石牌街道办事处",
            "Shipai Subdistrict Office, Tianhe District",
        ),
        "440106006",
        (Role.COMMUNITY_WORKER,),
    ),
    StaffPersona(
        "County health inspector (天河区 health commission)",
        "inspector.tianhe",
        "孙卫民",
        (
            "440106",
            DepartmentKind.HEALTH,
            "广州市天河区卫生健康局",
            "Tianhe District Health Commission",
        ),
        "440106",
        (Role.CLERK,),
    ),
    StaffPersona(
        "City hall manager (广州市政务服务中心)",
        "hallmgr.guangzhou",
        "周婷",
        GUANGZHOU_DATA,
        "4401",
        (Role.HALL_MANAGER,),
    ),
    StaffPersona(
        "12345 hotline operator (广州市)",
        "hotline.guangzhou",
        "吴海燕",
        GUANGZHOU_DATA,
        "4401",
        (Role.CLERK,),
    ),
    StaffPersona(
        "City supervisor (广州市)",
        "supervisor.guangzhou",
        "刘建国",
        GUANGZHOU_DATA,
        "4401",
        (Role.SUPERVISOR,),
    ),
    StaffPersona(
        "Department admin (天河区 market regulation)",
        "deptadmin.tianhe",
        "赵敏",
        TIANHE_MARKET,
        "440106",
        (Role.DEPARTMENT_ADMIN,),
    ),
    StaffPersona(
        "Department admin (广州市 human resources: edits the 即办 item's decision table)",
        "deptadmin.hrss",
        "郑丽",
        GUANGZHOU_HRSS,
        "4401",
        (Role.DEPARTMENT_ADMIN,),
    ),
    StaffPersona(
        "Reviewer (广州市 human resources: signs decision tables off)",
        "reviewer.hrss",
        "钱志强",
        GUANGZHOU_HRSS,
        "4401",
        (Role.REVIEWER,),
    ),
    StaffPersona(
        "Platform admin (广东省)",
        "admin",
        "平台管理员",
        (
            "44",
            DepartmentKind.DATA,
            "广东省政务服务和数据管理局",
            "Guangdong Government Services and Data Administration",
        ),
        "44",
        (Role.PLATFORM_ADMIN,),
        platform_admin=True,
    ),
)
CITIZEN = ("13800138000", "李明", demo_resident_id("440106", "19900307", "123"), "440106006002")
AGENT = ("13800138001", "王芳", demo_resident_id("440106", "19851122", "246"), "440106006004")
ENTERPRISE = (demo_uscc("440106", "MA5D1234"), "广州天河一网示范科技有限公司", "王芳", "440106")


def _department(spec: tuple[str, str, str, str]) -> Department:
    region_code, kind, name, name_en = spec
    department, _ = Department.objects.update_or_create(
        region_id=region_code, kind=kind, defaults={"name": name, "name_en": name_en}
    )
    return department


def _staff(spec: StaffPersona) -> User:
    department = _department(spec.department)
    key = demo_totp_key(spec.username)
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        return staff_create(
            username=spec.username,
            password=DEMO_PASSWORD,
            display_name=spec.display_name,
            department=department,
            region_code=spec.region_code,
            roles=list(spec.roles),
            totp_key_hex=key,
            is_platform_admin=spec.platform_admin,
        ).user
    # Re-running resets the demo account to its published state.
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.is_staff = user.is_superuser = spec.platform_admin
    user.save()
    staff, _ = StaffProfile.objects.update_or_create(
        user=user, defaults={"department": department, "region_id": spec.region_code}
    )
    StaffRole.objects.filter(staff=staff).exclude(role__in=spec.roles).delete()
    for role in spec.roles:
        StaffRole.objects.get_or_create(staff=staff, role=role)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or device.key != key:
        staff_totp_device_create(user=user, key_hex=key)
    return user


def _citizen(phone: str, name: str, id_number: str, region_code: str) -> User:
    profile = (
        CitizenProfile.objects.filter(phone_index=phone_index(phone)).select_related("user").first()
    )
    if profile is not None:
        return profile.user
    return citizen_register(
        phone=phone, real_name=name, id_number=id_number, region_code=region_code
    )


def _login(spec: StaffPersona) -> DemoLogin:
    device = TOTPDevice.objects.get(user__username=spec.username, confirmed=True)
    key = binascii.unhexlify(device.key)
    code = totp(key, step=device.step, t0=device.t0, digits=device.digits)
    return DemoLogin(
        persona=spec.persona,
        login=spec.username,
        password=DEMO_PASSWORD,
        totp_secret=base64.b32encode(key).decode(),
        otpauth_uri=device.config_url,
        current_code=f"{code:0{device.digits}d}",
        login_url="/accounts/staff/login/",
    )


def demo_people_load() -> list[DemoLogin]:
    """Create (or reset) every demo persona and return how to log in as each."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo people are never loaded in production.")
    missing = set(REQUIRED_REGIONS) - set(
        Region.objects.filter(code__in=REQUIRED_REGIONS).values_list("code", flat=True)
    )
    if missing:
        raise ImproperlyConfigured(
            f"Regions {sorted(missing)} are missing; "
            "run `yiwang import-regions --province 44` first."
        )
    with transaction.atomic():
        _citizen(*CITIZEN)
        agent = _citizen(*AGENT)
        uscc, name, legal_rep, region_code = ENTERPRISE
        enterprise = Enterprise.objects.filter(uscc=uscc).first()
        if enterprise is None:
            enterprise_register(
                uscc=uscc,
                name=name,
                legal_representative=legal_rep,
                region_code=region_code,
                agent=agent,
            )
        elif not EnterpriseAgent.objects.filter(enterprise=enterprise, user=agent).exists():
            EnterpriseAgent.objects.create(
                enterprise=enterprise, user=agent, is_legal_representative=True
            )
        for spec in STAFF:
            _staff(spec)
    citizen_hint = "phone code (shown on screen in the demo)"
    logins = [
        DemoLogin(
            "Citizen (天河区 石牌街道)", CITIZEN[0], "", "", "", citizen_hint, "/accounts/login/"
        ),
        DemoLogin(
            f"Enterprise agent ({ENTERPRISE[1]})",
            AGENT[0],
            "",
            "",
            "",
            citizen_hint,
            "/accounts/login/",
        ),
    ]
    return logins + [_login(spec) for spec in STAFF]
