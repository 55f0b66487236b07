# ruff: noqa: E501  (tables of cases read best one per line)
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yiwang.catalog import forms_schema as fs
from yiwang.catalog.tests.factories import FORM_SCHEMA


def messages(exc: ValidationError) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}


def test_valid_data_is_cleaned_to_python_values():
    cleaned = fs.form_validate(
        FORM_SCHEMA,
        {"phone": "13912345678", "seats": "40", "area": "55.5", "opening": "2026-12-01",
         "kind": "cafe", "shop_name": " 小店 "},
    )  # fmt: skip

    assert cleaned == {
        "phone": "13912345678",
        "seats": 40,
        "area": Decimal("55.5"),
        "opening": dt.date(2026, 12, 1),
        "kind": "cafe",
        "shop_name": "小店",
        "agree": False,
    }


def test_each_bad_field_gets_its_own_message():
    with pytest.raises(ValidationError) as caught:
        fs.form_validate(
            FORM_SCHEMA,
            {"phone": "12345", "seats": "4.5", "area": "lots", "opening": "2026-02-30",
             "kind": "bar", "shop_name": "一二三四五六七八九十十一", "agree": "maybe"},
        )  # fmt: skip

    assert messages(caught.value) == {
        "phone": ["This is not in the expected format."],
        "seats": ["Enter a whole number."],
        "area": ["Enter a number."],
        "opening": ["Enter a real date as YYYY-MM-DD."],
        "kind": ["Choose one of the options."],
        "shop_name": ["Keep this to 10 characters or fewer."],
        "agree": ["Choose yes or no."],
    }


def test_missing_required_fields_range_and_unknown_fields():
    with pytest.raises(ValidationError) as caught:
        fs.form_validate(FORM_SCHEMA, {"seats": 0, "area": -1, "colour": "red"})

    assert messages(caught.value) == {
        "__all__": ["The form does not have these fields: colour."],
        "phone": ["This field is required."],
        "seats": ["Enter a number of at least 1."],
        "area": ["Enter a number of at least 0."],
    }


def test_messages_are_translated():
    from django.utils import translation

    with pytest.raises(ValidationError) as caught:
        fs.form_validate(FORM_SCHEMA, {"seats": "many"})

    with translation.override("zh-hans"):
        assert messages(caught.value) == {"phone": ["此项必填。"], "seats": ["请输入整数。"]}


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ([], 'The form schema must be an object with "type": "object".'),
        ({"type": "array"}, 'The form schema must be an object with "type": "object".'),
        ({"type": "object", "properties": {}}, 'The form schema must be an object with "type": "object".'),
        ({"type": "object", "$ref": "#/x", "properties": {"a": {}}},
         "The form schema uses a keyword this platform does not support: $ref."),
        ({"type": "object", "properties": {"Bad-Name": {"type": "string"}}},
         "Field name Bad-Name is not valid: use lower-case letters, digits and underscores."),
        ({"type": "object", "properties": {"a": {"type": "file", "title": {"zh": "x", "en": "x"}}}},
         "Field a is not valid: type must be string, integer, number or boolean"),
        ({"type": "object", "properties": {"a": {"type": "string"}}},
         'Field a is not valid: it needs a title {"zh": "...", "en": "..."}'),
        ({"type": "object", "properties": {"a": {"type": "integer", "maxLength": 3, "title": {"zh": "x", "en": "x"}}}},
         "Field a is not valid: it uses a keyword that does not fit its type"),
        ({"type": "object", "properties": {"a": {"type": "number", "minimum": 5, "maximum": 1, "title": {"zh": "x", "en": "x"}}}},
         "Field a is not valid: minimum and maximum must be numbers, minimum not above maximum"),
        ({"type": "object", "properties": {"a": {"type": "string", "pattern": "(", "title": {"zh": "x", "en": "x"}}}},
         "Field a is not valid: the pattern is not a valid regular expression"),
        ({"type": "object", "properties": {"a": {"type": "string", "enum": [], "title": {"zh": "x", "en": "x"}}}},
         "Field a is not valid: enum must be a non-empty list of distinct texts"),
        ({"type": "object", "properties": {"a": {"type": "string", "format": "email", "title": {"zh": "x", "en": "x"}}}},
         'Field a is not valid: the only supported format is "date"'),
        ({"type": "object", "properties": {"a": {"type": "boolean", "title": {"zh": "x", "en": "x"}}}, "required": ["b"]},
         "The required list names a field that does not exist: b."),
    ],
)  # fmt: skip
def test_invalid_schemas_are_refused_with_the_problem_named(schema, message):
    with pytest.raises(ValidationError) as caught:
        fs.form_schema_check(schema)

    assert messages(caught.value) == {"form_schema": [message]}


def test_empty_schema_means_no_online_form():
    fs.form_schema_check({})
