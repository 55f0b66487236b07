"""Who is told how: citizens by in-app message and SMS; staff in the app, and by e-mail when
their account has an address. Staff accounts usually have no phone, so an SMS to them would
only be recorded as a failed delivery."""

from __future__ import annotations

from typing import Any

from yiwang.notify.services import notification_send

CITIZEN_CHANNELS = ("inapp", "sms")


def staff_channels(user: Any) -> tuple[str, ...]:
    return ("inapp", "email") if (getattr(user, "email", "") or "").strip() else ("inapp",)


def staff_notify(*, user: Any, template: str, context: dict[str, Any]) -> None:
    notification_send(user=user, template=template, context=context, channels=staff_channels(user))


def citizen_notify(*, user: Any, template: str, context: dict[str, Any]) -> None:
    notification_send(user=user, template=template, context=context, channels=CITIZEN_CHANNELS)
