# ruff: noqa: E501  (tables of cases read best one per line)
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from yiwang.catalog.forms_schema_render import schema_form
from yiwang.catalog.tests.factories import FORM_SCHEMA


def test_unbound_form_renders_labels_in_the_readers_language():
    with translation.override("zh-hans"):
        html = str(schema_form(FORM_SCHEMA))
    assert "电话" in html and 'type="date"' in html and 'type="radio"' in html
    assert 'aria-required="true"' in html

    html = str(schema_form(FORM_SCHEMA))
    assert "Phone" in html and 'type="checkbox"' in html


def test_valid_post_is_cleaned_by_form_validate():
    form = schema_form(
        FORM_SCHEMA,
        data={"phone": "13912345678", "seats": "12", "opening": "2026-12-01", "agree": "on"},
    )

    assert form.is_valid()
    assert form.cleaned_data == {
        "phone": "13912345678",
        "seats": 12,
        "opening": dt.date(2026, 12, 1),
        "agree": True,
    }


def test_invalid_post_puts_each_message_on_its_field():
    form = schema_form(FORM_SCHEMA, data={"phone": "1", "seats": "zero", "kind": "bar"})

    assert not form.is_valid()
    assert form.errors == {
        "phone": ["This is not in the expected format."],
        "seats": ["Enter a whole number."],
        "kind": ["Choose one of the options."],
    }


def test_an_invalid_schema_cannot_be_rendered():
    with pytest.raises(ValidationError):
        schema_form({"type": "object", "properties": {"x": {"type": "file"}}})
