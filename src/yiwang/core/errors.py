"""The one error shape of every JSON API: ``{"code", "message", "details"}``.

``message`` is translated into the request's language; ``code`` is stable for programs.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MSG_NOT_FOUND = _("Not found, or you may not see it.")
MSG_FORBIDDEN = _("You do not have permission to do this.")
MSG_UNAUTHENTICATED = _("Please log in first.")
MSG_MALFORMED_JSON = _("The request body is not valid JSON.")
MSG_INVALID_INPUT = _("Some of the information you sent is not valid.")
MSG_TOO_LARGE = _("The request is too large.")
MSG_RATE_LIMITED = _("Too many requests. Please wait a moment and try again.")
MSG_IDEMPOTENCY_CONFLICT = _("This Idempotency-Key was already used for a different request.")
MSG_IDEMPOTENCY_IN_PROGRESS = _("The first request with this Idempotency-Key is still running.")


class ApiError(Exception):
    """Raised anywhere below an API endpoint to answer with the standard error shape."""

    def __init__(
        self,
        *,
        status: int,
        code: str,
        message: Any,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}

    def payload(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}


def validation_details(exc: ValidationError) -> dict[str, list[dict[str, str]]]:
    """Turn a Django ``ValidationError`` into ``{field: [{"code", "message"}]}``."""
    if hasattr(exc, "error_dict"):
        return {
            field: [
                {"code": e.code or "invalid", "message": str(e.message % (e.params or {}))}
                for e in errors
            ]
            for field, errors in exc.error_dict.items()
        }
    return {
        "__all__": [
            {"code": e.code or "invalid", "message": str(e.message % (e.params or {}))}
            for e in exc.error_list
        ]
    }


def validation_error_code(exc: ValidationError) -> str:
    details = validation_details(exc)
    first = next(iter(details.values()))
    return first[0]["code"] if first else "invalid"
