"""``yiwang screenshots`` against the live server: every page at both widths, real PNGs."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_screenshots_saves_every_page_at_phone_and_desktop_width(
    live_server: Any, demo_data: list[Any], tmp_path: Path
) -> None:
    # A separate process: Playwright's sync API cannot nest inside the session's browser.
    result = subprocess.run(
        [sys.executable, "-m", "yiwang.cli", "screenshots"]
        + ["--base-url", live_server.url, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(p.name for p in tmp_path.glob("*.png"))
    from yiwang.core.management.commands.screenshots import (
        CITIZEN_PAGES,
        PUBLIC_PAGES,
        STAFF_PAGES,
    )

    pages = PUBLIC_PAGES + CITIZEN_PAGES + STAFF_PAGES
    assert len(files) == 2 * sum(len(languages) for _, _, languages in pages)
    for name in ("home", "citizen-login", "my-page", "messages", "workbench", "my-data-reads"):
        for width in ("phone", "desktop"):
            assert f"{name}-zh-{width}.png" in files
            assert f"{name}-en-{width}.png" in files
    assert png_size(tmp_path / "home-zh-phone.png")[0] == 390
    assert png_size(tmp_path / "workbench-en-desktop.png")[0] == 1280
    assert png_size(tmp_path / "workbench-en-desktop.png")[1] >= 800
