"""Online applications (网上办): many applicants at once, each through the whole flow of the
demo's ``SJ-0001`` 个体工商户设立登记 with its own citizen account and API bearer token:

1. ``draft``  — ``POST /api/v1/applications/`` with a ~10 KB form (JSON, ``Idempotency-Key``);
2. ``upload`` — one ~200 KB PNG (a real image: it passes the content check) as multipart:
   ``POST /api/v1/applications/{number}/materials`` when the API offers that route (found in
   its OpenAPI document), otherwise the citizen page's upload form
   ``POST /applications/{number}/upload/`` with the applicant's web session and CSRF token
   (answers 302 back to the draft);
3. ``submit`` — ``POST /api/v1/applications/{number}/submit`` (``Idempotency-Key``, a fresh
   ``submit_token``): validates the form, starts the BPMN process, writes the audit entry and
   queues the notification;
4. every tenth flow sends the same submit again with the same key (a retry after a
   timeout): it must be answered from the idempotency record, for the same application.

After the run, ``verify`` counts in the database: exactly one submitted application per
completed flow, none left as a draft, one material each, one open work item each, distinct
submit tokens. Any difference fails the run.
"""

from __future__ import annotations

import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
import zlib
from collections.abc import Generator
from pathlib import Path
from typing import Any

import httpx
import psycopg
from loadgen import FlowError, FlowFactory, FlowResult, Step

NAME = "applications: draft → upload → submit"
# (method, path pattern, label) of its requests in the server's access log
SERVER_PATHS = [
    ("POST", r"^/api/v1/applications/$", "draft"),
    ("POST", r"(/upload/|/materials)$", "upload"),
    ("POST", r"/submit$", "submit (and submit again)"),
]
OPTIONS = ("applicants",)
KIND = "flows"
BENCH_DIR = Path(__file__).resolve().parent.parent
API = "/api/v1/applications"
UPLOAD_API_PATH = "/api/v1/applications/{number}/materials"
FORM_BYTES = 10 * 1024
UPLOAD_BYTES = 200 * 1024
REPLAY_EVERY = 10

_context: dict[str, Any] = {}


def prepare(env: dict[str, str], *, applicants: int = 100) -> None:
    """Demo data (first time), the bench form, applicants with tokens and sessions."""
    setup_env = {**env, "YIWANG_ENV": "dev"}  # the demo loaders refuse production
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    try:
        subprocess.run(
            [sys.executable, str(BENCH_DIR / "seed_applicants.py")]
            + ["--applicants", str(applicants), "--out", out],
            env=setup_env,
            check=True,
        )
        _context.update(json.loads(Path(out).read_text()))
    finally:
        os.unlink(out)
    _context["form"] = form_data(_context["plan_field"], _context["plan_max"])
    _context["png_idat"] = _png_idat(UPLOAD_BYTES)


# --- the payloads


def form_data(plan_field: str, plan_max: int) -> dict[str, str]:
    """A valid form of about 10 KB as UTF-8 JSON (Chinese text is 3 bytes a character)."""
    rng = random.Random(7)
    hanzi = "经营范围包括小吃服务预包装食品销售日用百货零售家政服务场地租赁设计制作发布广告"
    form = {
        "contact_phone": "13800138000",
        "delivery": "electronic",
        "business_name": "天河区压测小吃店",
        "business_scope": "".join(rng.choice(hanzi) for _ in range(200)),
        "premises_address": "广州市天河区石牌街道华师路12号首层",
        "notes": "".join(rng.choice(hanzi) for _ in range(500)),
    }
    size = len(json.dumps({"form_data": form}, ensure_ascii=False).encode())
    room = min(plan_max, max(0, (FORM_BYTES - size - 40) // 3))
    form[plan_field] = "".join(rng.choice(hanzi) for _ in range(room))
    return form


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_idat(size: int) -> bytes:
    """The IDAT chunk of an RGB image of noise (incompressible), about ``size`` bytes."""
    width = 256
    height = size // (width * 3 + 1)
    rng = random.Random(11)
    raw = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(raw, 1))


def png(label: str) -> bytes:
    """A real PNG, different for every upload (a text chunk carries ``label``)."""
    text = _chunk(b"tEXt", b"Comment\x00" + label.encode())
    idat: bytes = _context["png_idat"]
    return b"\x89PNG\r\n\x1a\n" + idat[:25] + text + idat[25:] + _chunk(b"IEND", b"")


def multipart(fields: dict[str, str], file_field: str, name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body with a fixed boundary (the same bytes if sent again)."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{name}"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _json_body(value: dict[str, Any]) -> dict[str, Any]:
    return {"content": json.dumps(value, ensure_ascii=False).encode()}


# --- the flow


def upload_api_available(base_url: str) -> bool:
    with urllib.request.urlopen(f"{base_url}/api/v1/openapi.json", timeout=30) as response:  # noqa: S310
        paths = json.load(response).get("paths", {})
    return any(
        p.startswith(API) and p.endswith("/materials") and "post" in ops for p, ops in paths.items()
    )


def bearer_post_needs_csrf(base_url: str) -> bool:
    """Whether a POST with only a bearer token is refused (403). The session authenticator
    runs first and django-ninja's cookie authenticator checks CSRF before it even looks for
    the session cookie, which ends authentication with 403 for token-only clients. A POST
    that is authenticated answers 404 here (no such application)."""
    request = urllib.request.Request(  # noqa: S310 - local
        f"{base_url}{API}/NO-SUCH-APPLICATION/withdraw",
        method="POST",
        headers={"Authorization": f"Bearer {_context['tokens'][0]}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - local
            return False
    except urllib.error.HTTPError as exc:
        if exc.code not in (403, 404):
            raise
        return exc.code == 403


def make_flow(base_url: str) -> FlowFactory:
    via_api = upload_api_available(base_url)
    _context["upload_via"] = "api" if via_api else "web page"
    csrf_workaround = bearer_post_needs_csrf(base_url)
    _context["bearer_post_needs_csrf"] = csrf_workaround
    if csrf_workaround:
        print(
            "  WARNING: POST with only a bearer token is refused (403, CSRF); the bench adds "
            "a CSRF cookie and header to its API calls so that the flow can be measured",
            flush=True,
        )
    form = _context["form"]
    implementation_id = _context["implementation_id"]
    material_id = _context["material_id"]

    def flow(user: int, round_: int) -> Generator[Step, httpx.Response, None]:
        token = _context["tokens"][user]
        auth = {
            "Authorization": f"Bearer {token}",
            "Accept-Language": "zh-hans",
            "Content-Type": "application/json",
        }
        if csrf_workaround:
            auth |= {"Cookie": f"csrftoken={_context['csrf']}", "X-CSRFToken": _context["csrf"]}
        draft_key = str(uuid.uuid4())
        response = yield Step(
            "draft",
            "POST",
            f"{API}/",
            {**auth, "Idempotency-Key": draft_key},
            _json_body({"implementation_id": implementation_id, "form_data": form}),
            expect=(201,),
        )
        number = response.json()["number"]

        image = png(f"{user}-{round_}-{number}")
        if via_api:
            fields = {"material_id": str(material_id)} if material_id else {}
            body, content_type = multipart(fields, "file", "licence-photo.png", image)
            yield Step(
                "upload",
                "POST",
                UPLOAD_API_PATH.format(number=number),
                {**auth, "Content-Type": content_type, "Idempotency-Key": str(uuid.uuid4())},
                {"content": body},
                expect=(201,),
            )
        else:
            csrf = _context["csrf"]
            fields = {"csrfmiddlewaretoken": csrf}
            if material_id:
                fields["material"] = str(material_id)
            body, content_type = multipart(fields, "file", "licence-photo.png", image)
            cookie = f"sessionid={_context['sessions'][user]}; csrftoken={csrf}"
            response = yield Step(
                "upload",
                "POST",
                f"/applications/{number}/upload/",
                {"Cookie": cookie, "Content-Type": content_type, "Accept-Language": "zh-hans"},
                {"content": body},
                expect=(302,),
            )
            if not response.headers.get("location", "").endswith(f"/{number}/edit/"):
                raise FlowError(f"upload redirected to {response.headers.get('location')}")

        submit_key = str(uuid.uuid4())
        submit_body = _json_body({"submit_token": str(uuid.uuid4())})
        headers = {**auth, "Idempotency-Key": submit_key}
        response = yield Step("submit", "POST", f"{API}/{number}/submit", headers, submit_body)
        if response.json().get("status") == "draft":
            raise FlowError(f"{number} still a draft after submit")
        if (user * 7 + round_) % REPLAY_EVERY == 0:
            again = yield Step(
                "submit again", "POST", f"{API}/{number}/submit", headers, submit_body
            )
            replayed = again.headers.get("Idempotent-Replayed") == "true"
            if not replayed or again.json()["number"] != number:
                raise FlowError(f"{number}: the repeated submit was not a replay")

    return flow


# --- the check

# The run's applications: the bench applicants', created since the setup.
COUNT_SQL = """
SELECT count(*), count(*) FILTER (WHERE status = 'draft'), count(DISTINCT submit_token)
FROM applications_application a
WHERE a.applicant_id = ANY(%s) AND a.created_at >= %s
"""
MATERIALS_SQL = """
SELECT count(*) FROM (
    SELECT a.id FROM applications_application a
    LEFT JOIN applications_applicationmaterial m ON m.application_id = a.id
    WHERE a.applicant_id = ANY(%s) AND a.created_at >= %s
    GROUP BY a.id HAVING count(m.id) <> 1
) x
"""
ITEMS_SQL = """
SELECT count(*) FROM applications_workitem w
JOIN applications_application a ON a.id = w.application_id
WHERE a.applicant_id = ANY(%s) AND a.created_at >= %s AND w.status = 'open'
"""


def verify(database_url: str, result: FlowResult) -> dict[str, Any]:
    """Count what the run left in the database; ``problems`` lists every mismatch."""
    scope = [_context["user_ids"], _context["started_at"]]
    with psycopg.connect(database_url) as conn:
        applications, drafts, tokens = conn.execute(COUNT_SQL, scope).fetchone() or (0, 0, 0)
        bad_materials = conn.execute(MATERIALS_SQL, scope).fetchone()
        open_items = conn.execute(ITEMS_SQL, scope).fetchone()
    expected = result.flows_completed + result.warmup_flows
    counts = {
        "expected": expected,
        "applications": applications,
        "drafts": drafts,
        "distinct_submit_tokens": tokens,
        "applications_without_exactly_one_material": bad_materials[0] if bad_materials else -1,
        "open_work_items": open_items[0] if open_items else -1,
    }
    problems = []
    if applications != expected:
        problems.append(f"{applications} applications in the database, {expected} expected")
    if drafts:
        problems.append(f"{drafts} applications left as drafts")
    if tokens != expected:
        problems.append(f"{tokens} distinct submit tokens, {expected} expected")
    if counts["applications_without_exactly_one_material"]:
        problems.append(
            f"{counts['applications_without_exactly_one_material']} applications "
            "without exactly one material"
        )
    if counts["open_work_items"] != expected:
        problems.append(f"{counts['open_work_items']} open work items, {expected} expected")
    return {
        "counts": counts,
        "problems": problems,
        "upload_via": _context.get("upload_via"),
        "bearer_post_needs_csrf": _context.get("bearer_post_needs_csrf"),
    }
