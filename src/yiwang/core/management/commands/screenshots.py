"""``yiwang screenshots``: save the main pages as PNG files at phone and desktop width.

Starts ``yiwang demo`` (its own SQLite database in a temporary directory, so the developer's
data is untouched) on a free port, logs in as the demo citizen and a demo clerk with headless
Debian Chromium driven by Playwright, and writes ``docs/screens/<page>-<lang>-<width>.png``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
CITIZEN_PHONE = "13800138000"
CLERK = "clerk.tianhe"
# (file name, path, languages) for each login state.
PageList = list[tuple[str, str, tuple[str, ...]]]
PUBLIC_PAGES: PageList = [
    ("home", "/", ("zh", "en")),
    ("citizen-login", "/accounts/login/", ("zh", "en")),
    ("staff-login", "/accounts/staff/login/", ("zh",)),
    ("design", "/design/", ("zh",)),
    ("services", "/services/", ("zh",)),
    ("knowledge-base", "/consult/", ("zh", "en")),
    ("satisfaction", "/reviews/satisfaction/", ("zh",)),
    ("verify", "/verify/", ("zh",)),
]
CITIZEN_PAGES: PageList = [
    ("my-page", "/accounts/me/", ("zh", "en")),
    ("messages", "/messages/", ("zh", "en")),
    ("my-data-reads", "/audit/my-data-reads/", ("zh", "en")),
    ("my-applications", "/applications/", ("zh",)),
    ("wallet", "/certificates/", ("zh", "en")),
    ("my-appointments", "/halls/my/", ("zh",)),
    ("my-deliveries", "/delivery/my/", ("zh",)),
    ("my-questions", "/consult/my/", ("zh",)),
    ("my-ratings", "/reviews/my/", ("zh",)),
]
STAFF_PAGES: PageList = [
    ("workbench", "/accounts/workbench/", ("zh", "en")),
    ("inbox", "/applications/staff/", ("zh", "en")),
    ("shipping", "/delivery/staff/", ("zh",)),
    ("questions", "/consult/staff/", ("zh",)),
    ("rectification", "/reviews/staff/", ("zh",)),
]
LANGUAGE_CODES = {"zh": "zh-hans", "en": "en"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"The demo server exited with {process.returncode}.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise CommandError(f"{url} did not answer within {timeout:.0f}s.")


@contextmanager
def demo_server() -> Iterator[str]:
    """A throwaway demo (own var dir and SQLite file) on a free port; yields its base URL."""
    var_dir = Path(tempfile.mkdtemp(prefix="yiwang-screens-"))
    port = free_port()
    env = {**os.environ, "YIWANG_VAR_DIR": str(var_dir), "YIWANG_ENV": "dev", "DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    log = (var_dir / "server.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "yiwang.cli", "demo", "--port", str(port), "--no-worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(var_dir, ignore_errors=True)


def totp_now(username: str) -> str:
    """The demo staff member's current TOTP code (the demo keys are fixed and public)."""
    from django_otp.oath import TOTP

    key_hex = import_string("yiwang.accounts.demo.demo_totp_key")(username)
    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"


def citizen_login(page: Any) -> None:
    page.goto("/accounts/login/")
    page.locator("#phone").fill(CITIZEN_PHONE)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    code = page.locator(".yw-notice strong").inner_text().strip()
    page.locator("#code").fill(code)
    page.locator("form[action='/accounts/login/code/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/me/")


def staff_login(page: Any) -> None:
    password = import_string("yiwang.accounts.demo.DEMO_PASSWORD")
    page.goto("/accounts/staff/login/")
    page.locator("#username").fill(CLERK)
    page.locator("#password").fill(password)
    page.locator("form[action='/accounts/staff/login/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/staff/login/totp/")
    page.locator("#token").fill(totp_now(CLERK))
    page.locator("form[action='/accounts/staff/login/totp/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/workbench/")


class Command(BaseCommand):
    help = "Save the main pages at phone and desktop width to docs/screens/ (needs Chromium)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            default=str(Path(settings.PROJECT_DIR) / "docs" / "screens"),
            help="Output directory (default: docs/screens).",
        )
        parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
        parser.add_argument("--base-url", default="", help="Use a running server instead.")

    def handle(self, *args: Any, out: str, chromium: str, base_url: str, **options: Any) -> None:
        if not Path(chromium).exists():
            raise CommandError(f"Chromium not found at {chromium} (apt-get install chromium).")
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        if base_url:
            written = self.capture(base_url=base_url, chromium=chromium, out_dir=out_dir)
        else:
            self.stdout.write("Starting a throwaway demo server (loads 广东省, takes a moment) ...")
            with demo_server() as url:
                written = self.capture(base_url=url, chromium=chromium, out_dir=out_dir)
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} screenshot(s) in {out_dir}"))

    def capture(self, *, base_url: str, chromium: str, out_dir: Path) -> list[Path]:
        from playwright.sync_api import sync_playwright

        written: list[Path] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                for login, pages in ((None, PUBLIC_PAGES), (citizen_login, CITIZEN_PAGES)):
                    written += self._pages(browser, base_url, out_dir, login, pages)
                written += self._pages(browser, base_url, out_dir, staff_login, STAFF_PAGES)
            finally:
                browser.close()
        return written

    def _pages(
        self,
        browser: Any,
        base_url: str,
        out_dir: Path,
        login: Any,
        pages: Sequence[tuple[str, str, tuple[str, ...]]],
    ) -> list[Path]:
        written = []
        context = browser.new_context(base_url=base_url, viewport=WIDTHS["desktop"])
        try:
            page = context.new_page()
            if login is not None:
                login(page)
            for name, path, languages in pages:
                for lang in languages:
                    context.add_cookies(
                        [
                            {
                                "name": settings.LANGUAGE_COOKIE_NAME,
                                "value": LANGUAGE_CODES[lang],
                                "url": base_url,
                            }
                        ]
                    )
                    for width, viewport in WIDTHS.items():
                        page.set_viewport_size(viewport)
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        target = out_dir / f"{name}-{lang}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        written.append(target)
        finally:
            context.close()
        return written
