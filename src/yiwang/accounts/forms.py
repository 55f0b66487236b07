"""What the pages share for forms: errors shaped for the error summary, and safe redirects."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def form_errors(exc: ValidationError) -> dict[str, list[str]]:
    """``ValidationError`` → ``{field: [message]}``; non-field errors under ``__all__``."""
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for m in ValidationError(errs).messages]
            for field, errs in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def safe_next(request: HttpRequest, value: str | None, default: str) -> str:
    """``value`` when it points back into this site, else ``default`` (no open redirects)."""
    if value and url_has_allowed_host_and_scheme(
        value, {request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default
