from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.ids import validate_phone


class DevSmsFilterForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("The full 11-digit number, to see only the messages sent to it."),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return validate_phone(phone) if phone else ""
