"""The operational commands: tick, worker (tasks + tick thread + clean shutdown), serve
(a real gunicorn answering /healthz), and demo (loads everything and prints the logins)."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from yiwang.core.management.commands import demo, serve
from yiwang.core.models import PeriodicJobRun, WorkerHeartbeat
from yiwang.core.periodic import periodic_jobs
from yiwang.core.tasks import core_housekeeping

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PROJECT_DIR = Path(settings.BASE_DIR).parent.parent


def _run(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


# --- tick -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tick_enqueues_due_jobs_once_and_stamps_the_heartbeat() -> None:
    names = [job.name for job in periodic_jobs()]
    assert "core.housekeeping" in names
    assert _run("tick") == "Enqueued: " + ", ".join(names) + "\n"
    assert _run("tick") == "Nothing due.\n"
    assert PeriodicJobRun.objects.filter(name="core.housekeeping").exists()
    assert WorkerHeartbeat.objects.count() == 1


# --- worker -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_worker_batch_ticks_then_runs_every_outstanding_task() -> None:
    queued = core_housekeeping.enqueue()
    output = _run("worker", "--batch", "--worker-id", "batch-1")
    assert "Worker batch-1 started" in output
    assert "Worker batch-1 stopped." in output
    # The task enqueued by hand and every job the tick enqueued have run.
    assert DBTaskResult.objects.count() == 1 + len(periodic_jobs())
    assert not DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists()
    assert DBTaskResult.objects.get(id=queued.id).status == "SUCCESSFUL"
    housekeeping = DBTaskResult.objects.filter(task_path=core_housekeeping.module_path)
    assert list(housekeeping.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]
    assert WorkerHeartbeat.objects.get().worker_id == "batch-1"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_worker_ticks_in_a_thread_and_stops_cleanly_on_sigterm() -> None:
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    if hasattr(signal, "SIGQUIT"):
        previous[signal.SIGQUIT] = signal.getsignal(signal.SIGQUIT)
    stamped = threading.Event()

    def send_sigterm_after_first_heartbeat() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if WorkerHeartbeat.objects.filter(worker_id="loop-1").exists():
                stamped.set()
                break
            time.sleep(0.1)
        os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=send_sigterm_after_first_heartbeat)
    out = io.StringIO()
    try:
        killer.start()
        with pytest.raises(SystemExit) as exit_info:
            call_command(
                "worker",
                "--worker-id",
                "loop-1",
                "--tick-seconds",
                "0.2",
                "--interval",
                "0.1",
                stdout=out,
            )
    finally:
        killer.join(timeout=30)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert exit_info.value.code == 0
    assert stamped.is_set()
    assert "Worker loop-1 stopped." in out.getvalue()
    assert not [t for t in threading.enumerate() if t.name == "yiwang-tick"]
    # The tick thread enqueued housekeeping; the worker loop ran it before the signal.
    assert PeriodicJobRun.objects.filter(name="core.housekeeping").exists()


# --- serve ------------------------------------------------------------------------------


def test_serve_builds_a_gunicorn_command_line() -> None:
    argv = serve.gunicorn_argv(bind="127.0.0.1:9000", workers=3, threads=2, timeout=45)
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "yiwang.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9000"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--threads") + 1] == "2"
    assert argv[argv.index("--timeout") + 1] == "45"


def test_serve_defaults_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert serve.default_bind() == "0.0.0.0:8123"
    assert serve.default_workers() == 5
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert serve.default_workers() == (os.cpu_count() or 1) * 2 + 1


def test_serve_refuses_bad_options() -> None:
    with pytest.raises(CommandError, match="must be positive"):
        call_command("serve", "--threads", "0")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
                return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_runs_gunicorn_that_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "YIWANG_VAR_DIR": str(tmp_path), "YIWANG_ENV": "dev", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)  # its own SQLite file: /healthz needs no tables
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "yiwang.cli", "serve", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        assert body == b'{"status": "ok"}'
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output.decode(errors="replace")
    assert b"Starting: gunicorn yiwang.wsgi:application" in output


# --- demo -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_logins_table_gives_staff_a_working_totp_code_and_citizens_the_inbox() -> None:
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_user(username="clerk-demo", password="x" * 12)
    device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    lines = demo.logins_table(
        [
            {"persona": "County clerk", "login": "clerk-demo", "password": "pw-123456789"},
            {"persona": "Citizen", "login": "13800138000", "password": ""},
        ]
    )
    text = "\n".join(lines)
    assert "■ County clerk" in text
    assert "login:     clerk-demo" in text
    assert "password:  pw-123456789" in text
    assert "TOTP URI:  otpauth://totp/" in text
    code = next(line for line in lines if "code now:" in line).split()[2]
    assert device.verify_token(code)
    assert "phone:     13800138000" in text
    assert "/messages/dev-sms/" in text


def test_demo_runs_every_apps_demo_command_in_app_order_but_not_itself() -> None:
    from django.core.management import get_commands

    commands = demo.demo_data_commands()
    expected = {
        name for name in get_commands() if name.startswith("demo_") and name != "demo_people"
    }
    assert set(commands) == expected
    assert "demo" not in commands
    assert "demo_people" not in commands


def test_demo_refuses_a_busy_port_before_starting_anything() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=f"Port {port} is already in use"):
            call_command("demo", "--port", str(port))


def test_demo_refuses_an_invalid_port() -> None:
    with pytest.raises(CommandError, match="Invalid port: 70000"):
        call_command("demo", "--port", "70000", "--no-serve")


@pytest.mark.django_db(transaction=True)
def test_demo_no_serve_loads_regions_and_personas_once() -> None:
    from django.apps import apps
    from django.contrib.auth import get_user_model

    first = _run("demo", "--no-serve")
    region = apps.get_model("regions", "Region")
    assert region.objects.filter(code="44", level=1).exists()
    assert region.objects.filter(code__startswith="44", level=5).count() > 20000
    assert "Demo logins" in first
    assert "TOTP URI:  otpauth://totp/" in first
    assert "/messages/dev-sms/" in first
    users = get_user_model().objects.count()
    assert users >= 7

    again = _run("demo", "--no-serve")
    assert "Regions of 广东省 (44) already loaded." in again
    assert get_user_model().objects.count() == users


def test_screenshots_refuses_a_missing_browser(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Chromium not found at /nonexistent/chromium"):
        call_command("screenshots", "--chromium", "/nonexistent/chromium", "--out", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too: its parent has not reaped it yet.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_demo_serves_with_a_worker_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    """The README's demo end to end in its own SQLite: loads, serves, the worker ticks
    (``/readyz`` sees it), and Ctrl-C (SIGINT to the process group) stops server and worker."""
    port = _free_port()
    env = {**os.environ, "YIWANG_VAR_DIR": str(tmp_path), "YIWANG_ENV": "dev"}
    env.update({"PYTHONUNBUFFERED": "1", "READYZ_REQUIRE_WORKER": "1"})
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "yiwang.cli", "demo", "--port", str(port)],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    worker_pid = 0
    # Reading its output blocks: never let a hung demo hang the suite.
    watchdog = threading.Timer(240, os.killpg, args=(process.pid, signal.SIGKILL))
    watchdog.start()
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Background worker started (pid "):
                worker_pid = int(line.split("pid ")[1].rstrip(").\n"))
            if "Serving on" in line:
                break
        assert worker_pid, "".join(lines)
        status, body = _get(f"http://127.0.0.1:{port}/readyz", timeout=60)
        assert status == 200, body
        assert b'"fresh": true' in body
    finally:
        os.killpg(process.pid, signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
        watchdog.cancel()
    output = "".join(lines) + rest
    assert process.returncode == 0, output[-3000:]
    assert "Demo logins" in output
    assert "clerk.tianhe" in output
    assert "Background worker stopped." in output
    assert worker_pid and not _pid_alive(worker_pid)


@pytest.mark.django_db
def test_reencrypt_personal_data_moves_every_row_to_the_newest_key(settings):
    from cryptography.fernet import Fernet

    from yiwang.accounts.tests.factories import CitizenFactory
    from yiwang.core import crypto

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    crypto.clear_key_cache()
    try:
        profiles = [CitizenFactory() for _ in range(3)]
        names = {p.user_id: p.real_name for p in profiles}

        settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
        crypto.clear_key_cache()
        dry = io.StringIO()
        call_command("reencrypt_personal_data", "--dry-run", "--batch-size", "2", stdout=dry)
        assert "would be re-encrypted" in dry.getvalue()
        out = io.StringIO()
        call_command("reencrypt_personal_data", "--batch-size", "2", stdout=out)
        assert "accounts.CitizenProfile.real_name: 3" in out.getvalue()
        assert "accounts.CitizenProfile.id_number: 3" in out.getvalue()
        again = io.StringIO()
        call_command("reencrypt_personal_data", stdout=again)
        assert "0 value(s) re-encrypted" in again.getvalue()

        settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
        crypto.clear_key_cache()
        from yiwang.accounts.models import CitizenProfile

        for profile in CitizenProfile.objects.filter(user_id__in=names):
            assert profile.real_name == names[profile.user_id]
    finally:
        crypto.clear_key_cache()
