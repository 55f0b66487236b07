"""``{% unread_count %}``: the number of unread messages of the logged-in user (for the
badge in the header), 0 for visitors."""

from __future__ import annotations

from typing import Any

from django import template

from yiwang.notify.selectors import message_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return message_unread_count(user=user)
