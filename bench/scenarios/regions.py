"""The public regions API: the children of 广东省 (21 cities) — one indexed query, a JSON list,
and the API guards (rate-limit counter, idempotency not involved for GET)."""

from __future__ import annotations

import subprocess
import sys

NAME = "regions /api/v1/regions?parent=44"


def prepare(env: dict[str, str]) -> None:
    """Import 广东省 (idempotent: unchanged rows are skipped)."""
    subprocess.run(
        [sys.executable, "-m", "yiwang.cli", "import-regions", "--province", "44"],
        env=env,
        check=True,
    )


def request(i: int) -> tuple[str, str, dict[str, str]]:
    return "GET", "/api/v1/regions?parent=44", {"Accept-Language": "zh-hans"}
