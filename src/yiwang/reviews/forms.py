"""Turning a domain ValidationError into what a page shows: field errors and a summary."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def error_map(exc: ValidationError) -> dict[str, str]:
    """``{field: message}``; errors that belong to no field go under ``"__all__"``."""
    if hasattr(exc, "error_dict"):
        return {field: str(errors[0].messages[0]) for field, errors in exc.error_dict.items()}
    return {"__all__": str(exc.messages[0])}
