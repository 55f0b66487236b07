from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.audit.models import ACTION_LABELS

DATE_ATTRS = {"type": "date", "class": "yw-input yw-input--width-10"}
MSG_DATE_ORDER = _("The start date must be on or before the end date.")


def _action_choices() -> list[tuple[str, Any]]:
    return [("", _("All actions")), *ACTION_LABELS.items()]


class AuditFilterForm(forms.Form):
    """Filters of the staff audit list; every field is optional."""

    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=_action_choices,
        widget=forms.Select(attrs={"class": "yw-select"}),
    )
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs=DATE_ATTRS)
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs=DATE_ATTRS)
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", MSG_DATE_ORDER)
        return data
