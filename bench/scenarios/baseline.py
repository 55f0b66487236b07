"""Endpoint B: a trivial JSON view through the whole middleware stack — the framework's own
cost per request, the ceiling every real endpoint sits under."""

from __future__ import annotations

NAME = "baseline /bench/baseline"
# (method, path pattern, label) of its requests in the server's access log
SERVER_PATHS = [("GET", r"^/bench/baseline$", "B baseline")]


def request(i: int) -> tuple[str, str, dict[str, str]]:
    return "GET", "/bench/baseline", {}
