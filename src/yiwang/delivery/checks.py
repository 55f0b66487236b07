"""System checks: the demo courier must never carry parcels in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from yiwang.delivery.carriers import MANUAL_CARRIER, FakeCarrier, carrier_class, carrier_path


def carrier_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``delivery.E001``: the FakeCarrier invents tracking numbers and deliveries, so in
    production it is an error; ``delivery.E002``: the setting names no Carrier."""
    try:
        cls = carrier_class()
    except (ImportError, TypeError) as exc:
        return [
            Error(
                f"DELIVERY_CARRIER={carrier_path()!r} is not a delivery carrier: {exc}",
                hint=f'Set DELIVERY_CARRIER to a Carrier subclass, e.g. "{MANUAL_CARRIER}".',
                id="delivery.E002",
            )
        ]
    if getattr(settings, "YIWANG_ENV", "") == "production" and issubclass(cls, FakeCarrier):
        return [
            Error(
                "DELIVERY_CARRIER is the demo FakeCarrier in production: it would invent "
                "tracking numbers and mark parcels delivered that no courier carries.",
                hint=(
                    f'Set DELIVERY_CARRIER="{MANUAL_CARRIER}" (clerks enter tracking numbers '
                    "by hand) or the dotted path of a real carrier adapter."
                ),
                id="delivery.E001",
            )
        ]
    return []
