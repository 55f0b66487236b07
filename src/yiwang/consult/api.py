"""``/api/v1/consult``."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["consult"])
