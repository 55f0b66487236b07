"""Forms of the department pages for implementations (实施清单) and their materials."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models import Channel, MaterialForm, MaterialRequirement, Trips

TEXT = {"class": "yw-input"}
AREA = {"class": "yw-textarea", "rows": 3}
MSG_STEPS = _("Write one step per line: the Chinese title, then | and the English title.")
MSG_SCHEMA_JSON = _("The form schema is not valid JSON.")


class ImplementationForm(forms.Form):
    conditions_zh = forms.CharField(label=_("Who can apply (Chinese)"), widget=forms.Textarea(AREA))
    conditions_en = forms.CharField(label=_("Who can apply (English)"), widget=forms.Textarea(AREA))
    steps = forms.CharField(
        label=_("Steps"),
        help_text=MSG_STEPS,
        required=False,
        widget=forms.Textarea({**AREA, "placeholder": "网上申请 | Apply online"}),
    )
    legal_limit_days = forms.IntegerField(
        label=_("Legal time limit (working days, 0 = same day)"),
        min_value=0,
        max_value=365,
        widget=forms.NumberInput(TEXT),
    )
    promised_limit_days = forms.IntegerField(
        label=_("Promised time limit (working days, 0 = same day)"),
        min_value=0,
        max_value=365,
        widget=forms.NumberInput(TEXT),
    )
    fee_free = forms.BooleanField(label=_("Free of charge"), required=False)
    fee_amount = forms.DecimalField(
        label=_("Fee (yuan)"),
        required=False,
        min_value=0,
        decimal_places=2,
        widget=forms.NumberInput(TEXT),
    )
    fee_basis_zh = forms.CharField(
        label=_("Fee basis (Chinese)"), required=False, widget=forms.Textarea(AREA)
    )
    fee_basis_en = forms.CharField(
        label=_("Fee basis (English)"), required=False, widget=forms.Textarea(AREA)
    )
    channels = forms.MultipleChoiceField(
        label=_("Ways to apply"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trips = forms.TypedChoiceField(
        label=_("Trips to a hall"), choices=Trips.choices, coerce=int, widget=forms.RadioSelect
    )
    halls_zh = forms.CharField(
        label=_("Where to go (Chinese)"), required=False, widget=forms.Textarea(AREA)
    )
    halls_en = forms.CharField(
        label=_("Where to go (English)"), required=False, widget=forms.Textarea(AREA)
    )
    form_schema = forms.CharField(
        label=_("Online form schema (JSON)"),
        required=False,
        widget=forms.Textarea({**AREA, "rows": 6}),
    )
    process_ref = forms.CharField(
        label=_("Process reference"), required=False, max_length=80, widget=forms.TextInput(TEXT)
    )

    def clean_steps(self) -> list[dict[str, str]]:
        steps = []
        for line in self.cleaned_data["steps"].splitlines():
            if not line.strip():
                continue
            zh, _sep, en = line.partition("|")
            if not zh.strip():
                raise forms.ValidationError(MSG_STEPS, code="steps")
            steps.append({"title_zh": zh.strip(), "title_en": en.strip()})
        return steps

    def clean_form_schema(self) -> dict[str, Any]:
        text = self.cleaned_data["form_schema"].strip()
        try:
            value = json.loads(text) if text else {}
        except json.JSONDecodeError:
            raise forms.ValidationError(MSG_SCHEMA_JSON, code="schema_json") from None
        return value if isinstance(value, dict) else {"invalid": value}

    def content(self) -> dict[str, Any]:
        """The cleaned values as service content (``steps`` → ``procedure``)."""
        data = dict(self.cleaned_data)
        data["procedure"] = data.pop("steps")
        if data["fee_free"]:
            data["fee_amount"] = None
        return data

    @staticmethod
    def initial_from(version: Any) -> dict[str, Any]:
        fields = ImplementationForm.base_fields
        initial = {name: getattr(version, name) for name in fields if hasattr(version, name)}
        initial["steps"] = "\n".join(
            f"{s.get('title_zh', '')} | {s.get('title_en', '')}" for s in version.procedure
        )
        initial["form_schema"] = (
            json.dumps(version.form_schema, ensure_ascii=False, indent=1)
            if version.form_schema
            else ""
        )
        return initial


class MaterialEntryForm(forms.Form):
    name_zh = forms.CharField(
        label=_("Material (Chinese)"), max_length=200, widget=forms.TextInput(TEXT)
    )
    name_en = forms.CharField(
        label=_("Material (English)"), max_length=300, widget=forms.TextInput(TEXT)
    )
    # Initial values equal to what an untouched row posts, so a blank extra row is skipped.
    form = forms.ChoiceField(label=_("Form"), choices=MaterialForm.choices, initial="original")
    copies = forms.IntegerField(
        label=_("Copies"), min_value=1, max_value=99, initial=1, widget=forms.NumberInput(TEXT)
    )
    requirement = forms.ChoiceField(
        label=_("Needed"), choices=MaterialRequirement.choices, initial="required"
    )
    condition_zh = forms.CharField(
        label=_("When needed (Chinese)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(TEXT),
    )
    condition_en = forms.CharField(
        label=_("When needed (English)"),
        required=False,
        max_length=400,
        widget=forms.TextInput(TEXT),
    )
    reusable_certificate_type = forms.CharField(
        label=_("E-certificate that replaces it (免提交)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(TEXT),
    )


MaterialFormSet = forms.formset_factory(MaterialEntryForm, extra=2, can_delete=True, max_num=50)
