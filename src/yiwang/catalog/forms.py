"""Forms of the department pages (shape only; rules live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import DepartmentKind
from yiwang.catalog.models import ItemType, Persona
from yiwang.regions.models import RegionLevel

TEXT = {"class": "yw-input"}
MSG_BAD_CODE = _("Use capital letters, digits and hyphens, for example SJ-0100.")
AREA = {"class": "yw-textarea", "rows": 3}


class ItemVersionForm(forms.Form):
    """The wording of an item version (中文 first, English second)."""

    name_zh = forms.CharField(
        label=_("Name (Chinese)"), max_length=200, widget=forms.TextInput(TEXT)
    )
    name_en = forms.CharField(
        label=_("Name (English)"), max_length=300, widget=forms.TextInput(TEXT)
    )
    short_name_zh = forms.CharField(
        label=_("Short name (Chinese)"), max_length=60, required=False, widget=forms.TextInput(TEXT)
    )
    short_name_en = forms.CharField(
        label=_("Short name (English)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    description_zh = forms.CharField(label=_("Description (Chinese)"), widget=forms.Textarea(AREA))
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea(AREA))
    legal_basis_zh = forms.CharField(
        label=_("Legal basis (Chinese)"), required=False, widget=forms.Textarea(AREA)
    )
    legal_basis_en = forms.CharField(
        label=_("Legal basis (English)"), required=False, widget=forms.Textarea(AREA)
    )
    keywords_zh = forms.CharField(
        label=_("Everyday words people use (Chinese)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    keywords_en = forms.CharField(
        label=_("Everyday words people use (English)"), max_length=300, required=False,
        widget=forms.TextInput(TEXT),
    )  # fmt: skip


class ItemCreateForm(ItemVersionForm):
    code = forms.RegexField(
        label=_("Item code"), regex=r"^[A-Z0-9][A-Z0-9-]{2,39}$", widget=forms.TextInput(TEXT),
        help_text=_("Capital letters, digits and hyphens, for example SJ-0100."),
        error_messages={"invalid": MSG_BAD_CODE},
    )  # fmt: skip
    item_type = forms.ChoiceField(label=_("Item type"), choices=ItemType.choices)
    department_kind = forms.ChoiceField(
        label=_("Responsible department"), choices=DepartmentKind.choices
    )
    region_level = forms.TypedChoiceField(
        label=_("Implementing level"), choices=RegionLevel.choices, coerce=int
    )
    persona = forms.ChoiceField(label=_("For"), choices=Persona.choices)  # fmt: skip

    field_order = ["code", "item_type", "department_kind", "region_level", "persona"]


MSG_ITEM_CODES = _("List at least two item codes, one per line.")


class BundleForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60, widget=forms.TextInput(TEXT))
    name_zh = forms.CharField(
        label=_("Name (Chinese)"), max_length=100, widget=forms.TextInput(TEXT)
    )
    name_en = forms.CharField(
        label=_("Name (English)"), max_length=200, widget=forms.TextInput(TEXT)
    )
    description_zh = forms.CharField(label=_("Description (Chinese)"), widget=forms.Textarea(AREA))
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea(AREA))
    keywords_zh = forms.CharField(
        label=_("Everyday words people use (Chinese)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    keywords_en = forms.CharField(
        label=_("Everyday words people use (English)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    persona = forms.ChoiceField(label=_("For"), choices=Persona.choices)
    item_codes = forms.CharField(
        label=_("Service items, in order"),
        help_text=MSG_ITEM_CODES,
        widget=forms.Textarea({**AREA, "rows": 5}),
    )
    is_published = forms.BooleanField(label=_("Show it to the public"), required=False)

    def clean_item_codes(self) -> list[str]:
        codes = [
            line.strip() for line in self.cleaned_data["item_codes"].splitlines() if line.strip()
        ]
        if len(codes) < 2:
            raise forms.ValidationError(MSG_ITEM_CODES, code="item_codes")
        return codes
