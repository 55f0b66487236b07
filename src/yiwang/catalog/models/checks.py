"""Rules for implementation content that the database cannot express, with messages that
tests import. Raised as one ``ValidationError`` keyed by field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from yiwang.catalog.models.implementations import ImplementationVersion

MSG_CHANNELS_INVALID = _("Choose channels from the list, each at most once.")
MSG_PROCEDURE_INVALID = _(
    "Each procedure step needs a Chinese title; steps are a list of objects with "
    "title_zh, title_en, detail_zh and detail_en."
)
MSG_PROMISED_OVER_LEGAL = _("The promised time limit cannot be longer than the legal one.")
MSG_FEE_AMOUNT_REQUIRED = _("Give the fee amount in yuan, more than zero, or mark it free.")
MSG_FEE_AMOUNT_WHEN_FREE = _("A free service has no fee amount.")
STEP_KEYS = frozenset({"title_zh", "title_en", "detail_zh", "detail_en"})


def _channels_ok(channels: Any) -> bool:
    from yiwang.catalog.models.implementations import Channel

    return (
        isinstance(channels, list)
        and all(isinstance(c, str) and c in Channel.values for c in channels)
        and len(set(channels)) == len(channels)
    )


def _step_ok(step: Any) -> bool:
    return (
        isinstance(step, dict)
        and set(step) <= STEP_KEYS
        and all(isinstance(v, str) for v in step.values())
        and bool(str(step.get("title_zh", "")).strip())
    )


def implementation_content_check(version: ImplementationVersion) -> None:
    errors: dict[str, Any] = {}
    if not _channels_ok(version.channels):
        errors["channels"] = ValidationError(MSG_CHANNELS_INVALID, code="channels_invalid")
    procedure = version.procedure
    if not isinstance(procedure, list) or not all(_step_ok(s) for s in procedure):
        errors["procedure"] = ValidationError(MSG_PROCEDURE_INVALID, code="procedure_invalid")
    if (
        version.promised_limit_days is not None
        and version.legal_limit_days is not None
        and version.promised_limit_days > version.legal_limit_days
    ):
        errors["promised_limit_days"] = ValidationError(
            MSG_PROMISED_OVER_LEGAL, code="promised_over_legal"
        )
    if version.fee_free and version.fee_amount is not None:
        errors["fee_amount"] = ValidationError(MSG_FEE_AMOUNT_WHEN_FREE, code="fee_when_free")
    if not version.fee_free and (version.fee_amount is None or version.fee_amount <= 0):
        errors["fee_amount"] = ValidationError(MSG_FEE_AMOUNT_REQUIRED, code="fee_required")
    if errors:
        raise ValidationError(errors)
