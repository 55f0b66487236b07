"""Endpoint B: a trivial JSON view through the whole middleware stack — the framework's own
cost per request, the ceiling every real endpoint sits under."""

from __future__ import annotations

NAME = "baseline /bench/baseline"


def request(i: int) -> tuple[str, str, dict[str, str]]:
    return "GET", "/bench/baseline", {}
