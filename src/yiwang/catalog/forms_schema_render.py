"""An online form schema as an accessible Django form.

The fields only render (labels in the reader's language, the right input type, required
marks, hints for limits); validation is ``form_validate`` itself, run in ``clean()``, so the
page and the API give exactly the same messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from yiwang.catalog.forms_schema import form_schema_check, form_validate

RADIO_MAX = 5  # up to this many options show as radio buttons, more as a select


def _title(title: dict[str, str]) -> str:
    return title["en"] if (get_language() or "").startswith("en") else title["zh"]


def _widget(spec: dict[str, Any]) -> forms.Widget:
    kind = spec["type"]
    if kind == "boolean":
        return forms.CheckboxInput(attrs={"class": "yw-checkbox"})
    if kind == "string" and "enum" in spec:
        choices = [(v, v) for v in spec["enum"]]
        if len(choices) <= RADIO_MAX:
            return forms.RadioSelect(choices=choices, attrs={"class": "yw-radio"})
        return forms.Select(choices=[("", "—"), *choices], attrs={"class": "yw-select"})
    attrs: dict[str, Any] = {"class": "yw-input"}
    if kind == "string" and spec.get("format") == "date":
        return forms.DateInput(attrs={**attrs, "type": "date"})
    if kind in ("integer", "number"):
        attrs.update(inputmode="numeric" if kind == "integer" else "decimal")
        attrs.update({k[:3]: spec[k] for k in ("minimum", "maximum") if k in spec})
        return forms.TextInput(attrs=attrs)
    if "maxLength" in spec:
        attrs["maxlength"] = spec["maxLength"]
    if spec.get("maxLength", 0) > 200:
        return forms.Textarea(attrs={"class": "yw-textarea", "rows": 4, **attrs})
    return forms.TextInput(attrs=attrs)


class SchemaForm(forms.Form):
    """Built by ``schema_form``; ``cleaned_data`` holds ``form_validate``'s values."""

    schema: dict[str, Any] = {}

    def clean(self) -> dict[str, Any]:
        raw = {name: self.data.get(self.add_prefix(name)) for name in self.fields}
        try:
            return form_validate(self.schema, {k: v for k, v in raw.items() if v is not None})
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error(None if name == "__all__" else name, error)
            return {}


def schema_form(schema: dict[str, Any], data: Any = None, prefix: str | None = None) -> SchemaForm:
    """A bound (with ``data``) or unbound form for ``schema``; refuses invalid schemas."""
    form_schema_check(schema)
    required = set(schema.get("required", []))
    fields: dict[str, forms.Field] = {
        name: forms.CharField(
            label=_title(spec["title"]), required=False, widget=_widget(spec),
            # Marked for screen readers and browsers; enforced by form_validate.
        )
        for name, spec in schema.get("properties", {}).items()
    }  # fmt: skip
    for name, field in fields.items():
        field.widget.is_required = name in required
        if name in required and spec_type(schema, name) != "boolean":
            field.widget.attrs["aria-required"] = "true"
    form_class = type("SchemaFormFor", (SchemaForm,), {"schema": schema, **fields})
    return form_class(data=data, prefix=prefix)


def spec_type(schema: dict[str, Any], name: str) -> str:
    return str(schema["properties"][name]["type"])
