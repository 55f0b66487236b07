"""``yiwang demo``: everything the one-command demo needs, then serve it.

Compiles the translations, migrates the database (SQLite in ``var/`` unless ``DATABASE_URL``
says otherwise), imports 广东省 (44) down to villages if it is not there yet, loads the demo
personas and prints how to log in as each, then runs a background worker in a subprocess and
Django's server in this one. Ctrl-C stops both.

The demo is the one place the core app reaches into apps below it (regions data, accounts
personas); it does so lazily by name so that importing core never imports them.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from yiwang.core.translations import translations_compile

DEMO_PROVINCE = "44"  # 广东省
PEOPLE_LOADER = "yiwang.accounts.management.commands.demo_people.demo_people_load"
PEOPLE_COMMAND = "demo_people"


def demo_data_commands() -> list[str]:
    """Every other app's ``demo_<something>`` command, in INSTALLED_APPS order: a capability
    adds its demo data by shipping such a command (idempotent, no arguments)."""
    order = {config.name: i for i, config in enumerate(apps.get_app_configs())}
    found = [
        (order.get(app, len(order)), name)
        for name, app in get_commands().items()
        if name.startswith("demo_") and name != PEOPLE_COMMAND
    ]
    return [name for _, name in sorted(found)]


def totp_details(username: str) -> dict[str, str] | None:
    """Secret, otpauth URI and the code valid right now for a staff login's TOTP device."""
    from base64 import b32encode

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = (
        TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("id").first()
    )
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return {
        "secret": b32encode(device.bin_key).decode(),
        "uri": device.config_url,
        "code": f"{totp.token():0{device.digits}d}",
    }


def _as_dict(item: Any) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return dict(item)
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    return {k: v for k, v in vars(item).items() if not k.startswith("_")}


def _first(row: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = row.get(name)
        if value:
            return str(value)
    return ""


def logins_table(logins: Iterable[Any]) -> list[str]:
    """Human-readable lines: one block per persona, with what the second factor needs."""
    lines: list[str] = []
    for item in logins:
        row = _as_dict(item)
        persona = _first(row, "persona", "label", "role", "name")
        login = _first(row, "login", "username", "phone")
        lines.append(f"■ {persona}")
        if not row.get("password"):  # citizens and agents log in with a phone code
            lines.append(f"    phone:     {_first(row, 'phone', 'login')}   at /accounts/login/")
            lines.append(
                "    code:      shown on the login page, and in the dev SMS inbox "
                "/messages/dev-sms/"
            )
        else:
            url = _first(row, "login_url") or "/accounts/staff/login/"
            lines.append(f"    login:     {login}   at {url}")
            lines.append(f"    password:  {_first(row, 'password')}")
            totp = totp_details(login)
            if totp:
                lines.append(f"    TOTP key:  {totp['secret']}")
                lines.append(f"    TOTP URI:  {totp['uri']}")
                lines.append(f"    code now:  {totp['code']}  (changes every 30 s)")
        for extra in ("region", "department", "note"):
            if row.get(extra):
                lines.append(f"    {extra + ':':<10} {row[extra]}")
    return lines


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Set up the demo (translations, migrations, 广东 regions, personas), then serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="Port on 127.0.0.1 (default: $PORT or 8000).",
        )
        parser.add_argument("--no-serve", action="store_true", help="Only set up and load.")
        parser.add_argument("--no-worker", action="store_true", help="Serve without a worker.")

    def handle(
        self, *args: Any, port: int, no_serve: bool, no_worker: bool, **options: Any
    ) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"Invalid port: {port}")
        # Checked up front: runserver leaves with os._exit() on a busy port, which would
        # orphan the worker started before it.
        if not no_serve and not port_free(port):
            raise CommandError(f"Port {port} is already in use; choose another with --port.")
        self.load()
        if not no_serve:
            self.serve(port=port, with_worker=not no_worker)

    def load(self) -> None:
        written = translations_compile()
        self.stdout.write(f"Translations: {len(written)} catalogue(s) compiled.")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        region = apps.get_model("regions", "Region")
        if region.objects.filter(code__startswith=DEMO_PROVINCE, level=5).exists():
            self.stdout.write("Regions of 广东省 (44) already loaded.")
        else:
            self.stdout.write("Importing the regions of 广东省 (44) down to villages ...")
            call_command("import_regions", "--province", DEMO_PROVINCE)
        logins = import_string(PEOPLE_LOADER)()
        for command in demo_data_commands():
            call_command(command, stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins"))
        for line in logins_table(logins):
            self.stdout.write(line)
        self.stdout.write("")

    def serve(self, *, port: int, with_worker: bool) -> None:
        # Ctrl-C and SIGTERM both stop the server and then the worker, even when this
        # process was started with SIGINT ignored (as background jobs of scripts are).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
        worker: subprocess.Popen[bytes] | None = None
        if with_worker:
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "yiwang.cli", "worker", "--tick-seconds", "30"]
            )
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        self.stdout.write(
            self.style.SUCCESS(f"Serving on http://127.0.0.1:{port}/  — press Ctrl-C to stop.")
        )
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        except (KeyboardInterrupt, SystemExit):  # runserver exits 0 on Ctrl-C
            pass
        finally:
            # A second Ctrl-C (or uv forwarding the first) must not cut the worker's stop short.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            if worker is not None:
                self._stop(worker)

    def _stop(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        self.stdout.write("Background worker stopped.")
        self.stdout.flush()
