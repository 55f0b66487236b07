"""Set up the ``applications`` scenario in the benchmark database (run by
``scenarios/applications.py``; not meant to be run by hand):

    python bench/seed_applicants.py --applicants 100 --out /tmp/ctx.json

1. the first time: imports 广东省 and loads the demo people, catalogue, certificate types and
   applications processes (the demo ``SJ-0001`` 个体工商户设立登记 in 天河区 gets its process);
2. publishes a bench version of that implementation whose form adds one long text field
   (经营计划, up to 3,000 characters) next to the demo fields, so that a *valid* form is about
   10 KB — the demo form's own length limits cap a valid form at about 3 KB;
3. creates the applicants in bulk (``bulk_create``, not the services): citizens with complete
   real-name profiles in 天河区石牌街道, one API bearer token each (earlier bench tokens are
   revoked) and one web session each (with a CSRF token), reusing the citizens of earlier runs;
4. writes what the load generator needs (tokens, sessions, implementation and material ids,
   the database time the run starts at) as JSON to ``--out``.

Personal data goes through the real encrypted fields and blind indexes, so the server reads
these citizens like any other.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from yiwang.accounts.models import ApiToken, CitizenProfile, User, UserKind  # noqa: E402
from yiwang.applications.demo import _implementation_for, demo_form_schema  # noqa: E402
from yiwang.applications.models import ProcessDefinition  # noqa: E402
from yiwang.catalog.models import Implementation  # noqa: E402
from yiwang.catalog.services import (  # noqa: E402
    implementation_version_draft,
    implementation_version_publish,
    implementation_version_update,
)
from yiwang.core.crypto import blind_index  # noqa: E402
from yiwang.core.ids import resident_id_check_digit  # noqa: E402
from yiwang.regions.models import Region  # noqa: E402

ITEM = "SJ-0001"
PROCESS = "individual_business_registration"
REGION = "440106006002"  # 天河区石牌街道 (a village-level code under the street)
USERNAME = "bench-applicant-{:05d}"
TOKEN_NAME = "bench"  # noqa: S105 - a label, not a secret
BACKEND = "django.contrib.auth.backends.ModelBackend"
PLAN_FIELD = "business_plan"
PLAN_MAX = 3000


def bench_form_schema() -> dict[str, object]:
    schema = demo_form_schema(PROCESS)
    schema["properties"][PLAN_FIELD] = {  # type: ignore[index]
        "type": "string",
        "title": {"zh": "经营计划", "en": "Business plan"},
        "maxLength": PLAN_MAX,
    }
    return schema


def demo_data() -> None:
    """Regions, people, catalogue, certificate types, processes: only when missing."""
    if not Region.objects.filter(code="44").exists():
        call_command("import_regions", "--province", "44", verbosity=0)
    if not ProcessDefinition.objects.filter(key=PROCESS).exists():
        for command in ("demo_people", "demo_catalog", "demo_certificates", "demo_applications"):
            print(f"  {command}", flush=True)
            call_command(command, stdout=open(os.devnull, "w"))  # noqa: SIM115


def bench_implementation() -> Implementation:
    implementation = _implementation_for(ITEM)
    if implementation is None:
        raise SystemExit(f"no implementation of {ITEM} serving 440106: is the demo loaded?")
    schema = bench_form_schema()
    published = implementation.published_version
    if published is None or published.form_schema != schema or published.process_ref != PROCESS:
        with transaction.atomic():
            draft = implementation_version_draft(implementation=implementation, by=None)
            implementation_version_update(
                version=draft,
                content={"process_ref": PROCESS, "form_schema": schema},
                materials=None,
                by=None,
            )
            implementation_version_publish(version=draft, by=None, skip_review=True)
        implementation.refresh_from_db()
    return implementation


def resident_id(n: int) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n)
    first17 = f"440106{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + resident_id_check_digit(first17)


@transaction.atomic
def applicants(count: int) -> list[User]:
    names = [USERNAME.format(i) for i in range(count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    missing = [i for i, name in enumerate(names) if name not in existing]
    if missing:
        users = User.objects.bulk_create(
            User(
                username=names[i],
                kind=UserKind.CITIZEN,
                display_name=f"压测申请人{i}",
                password="!" + secrets.token_hex(16),  # unusable: citizens use phone codes
            )
            for i in missing
        )
        now = timezone.now()
        profiles = []
        for i, user in zip(missing, users, strict=True):
            phone = f"199{i:08d}"
            id_number = resident_id(i)
            profiles.append(
                CitizenProfile(
                    user=user,
                    real_name=f"压测{i}",
                    id_number=id_number,
                    id_number_index=blind_index(id_number, purpose="resident_id"),
                    phone=phone,
                    phone_index=blind_index(phone, purpose="phone"),
                    region_id=REGION,
                    verified_at=now,
                )
            )
        CitizenProfile.objects.bulk_create(profiles)
    return list(User.objects.filter(username__in=names).order_by("username"))


@transaction.atomic
def credentials(users: list[User]) -> tuple[list[str], list[str], str]:
    """A fresh bearer token and web session per user (earlier bench ones revoked/removed)."""
    now = timezone.now()
    ApiToken.objects.filter(user__in=users, name=TOKEN_NAME, revoked_at__isnull=True).update(
        revoked_at=now
    )
    raws = ["yw_" + secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        ApiToken(
            user=user,
            name=TOKEN_NAME,
            token_hash=ApiToken.digest(raw),
            expires_at=now + dt.timedelta(days=1),
        )
        for user, raw in zip(users, raws, strict=True)
    )
    store = SessionStore()
    sessions = []
    keys = []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: BACKEND,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=key,
                session_data=store.encode(data),
                expire_date=now + dt.timedelta(hours=8),
            )
        )
        keys.append(key)
    Session.objects.bulk_create(sessions)
    return raws, keys, secrets.token_hex(16)  # a 32-character CSRF secret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applicants", type=int, default=100)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    demo_data()
    implementation = bench_implementation()
    version = implementation.published_version
    assert version is not None
    material = version.materials.order_by("pk").first()
    users = applicants(args.applicants)
    tokens, sessions, csrf = credentials(users)
    context = {
        "implementation_id": implementation.pk,
        "material_id": material.pk if material else None,
        "plan_field": PLAN_FIELD,
        "plan_max": PLAN_MAX,
        "user_ids": [u.pk for u in users],
        "tokens": tokens,
        "sessions": sessions,
        "csrf": csrf,
        "started_at": timezone.now().isoformat(),
    }
    Path(args.out).write_text(json.dumps(context))
    print(
        f"  {len(users)} applicants with tokens and sessions; {ITEM} implementation "
        f"{implementation.pk} (version {version.pk}, process {version.process_ref})"
    )


if __name__ == "__main__":
    main()
