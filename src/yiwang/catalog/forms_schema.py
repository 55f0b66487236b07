"""Online form schemas: a small, documented subset of JSON Schema, checked when an
implementation is saved and used to validate what an applicant submits.

A schema is::

    {"type": "object",
     "title": {"zh": "申请表", "en": "Application form"},
     "properties": {
        "<name>": {"type": "string" | "integer" | "number" | "boolean",
                   "title": {"zh": "...", "en": "..."},       # required
                   "format": "date",                           # string only: YYYY-MM-DD
                   "enum": ["a", "b"],                         # string only
                   "maxLength": 200, "minLength": 1,           # string only
                   "pattern": "^[0-9]{6}$",                    # string only, full match
                   "minimum": 0, "maximum": 100}},             # integer / number only
     "required": ["<name>", ...]}

Property names are lower-case identifiers (they become form field names). Anything else is
refused with a message naming the problem, so a department admin sees what to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MSG_SCHEMA_NOT_OBJECT = _('The form schema must be an object with "type": "object".')
MSG_SCHEMA_UNKNOWN_KEY = _(
    "The form schema uses a keyword this platform does not support: %(key)s."
)
MSG_SCHEMA_BAD_NAME = _(
    "Field name %(name)s is not valid: use lower-case letters, digits and underscores."
)
MSG_SCHEMA_BAD_FIELD = _("Field %(name)s is not valid: %(problem)s")
MSG_SCHEMA_BAD_REQUIRED = _("The required list names a field that does not exist: %(name)s.")
MSG_SCHEMA_BAD_TITLE = _('A title must be {"zh": "...", "en": "..."} with both languages.')

PROBLEM_TYPE = _("type must be string, integer, number or boolean")
PROBLEM_TITLE = _('it needs a title {"zh": "...", "en": "..."}')
PROBLEM_KEYWORD = _("it uses a keyword that does not fit its type")
PROBLEM_NUMBER = _("minimum and maximum must be numbers, minimum not above maximum")
PROBLEM_LENGTH = _("minLength and maxLength must be whole numbers from 0 to 10000")
PROBLEM_PATTERN = _("the pattern is not a valid regular expression")
PROBLEM_ENUM = _("enum must be a non-empty list of distinct texts")
PROBLEM_FORMAT = _('the only supported format is "date"')

MSG_REQUIRED = _("This field is required.")
MSG_NOT_TEXT = _("Enter text.")
MSG_NOT_INTEGER = _("Enter a whole number.")
MSG_NOT_NUMBER = _("Enter a number.")
MSG_NOT_BOOLEAN = _("Choose yes or no.")
MSG_NOT_DATE = _("Enter a real date as YYYY-MM-DD.")
MSG_NOT_CHOICE = _("Choose one of the options.")
MSG_TOO_LONG = _("Keep this to %(limit)s characters or fewer.")
MSG_TOO_SHORT = _("Enter at least %(limit)s characters.")
MSG_TOO_SMALL = _("Enter a number of at least %(limit)s.")
MSG_TOO_BIG = _("Enter a number of at most %(limit)s.")
MSG_PATTERN = _("This is not in the expected format.")
MSG_UNKNOWN_FIELDS = _("The form does not have these fields: %(names)s.")

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
TOP_KEYS = frozenset({"type", "title", "properties", "required"})
COMMON_KEYS = frozenset({"type", "title"})
KEYS_BY_TYPE = {
    "string": COMMON_KEYS | {"format", "enum", "maxLength", "minLength", "pattern"},
    "integer": COMMON_KEYS | {"minimum", "maximum"},
    "number": COMMON_KEYS | {"minimum", "maximum"},
    "boolean": COMMON_KEYS,
}
TRUE_WORDS = frozenset({"true", "on", "1", "yes"})
FALSE_WORDS = frozenset({"false", "off", "0", "no", ""})


def _title_ok(title: Any) -> bool:
    return (
        isinstance(title, dict)
        and set(title) == {"zh", "en"}
        and all(isinstance(v, str) and v.strip() for v in title.values())
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _string_problem(spec: dict[str, Any]) -> Any:
    if "format" in spec and spec["format"] != "date":
        return PROBLEM_FORMAT
    if "enum" in spec:
        enum = spec["enum"]
        if (
            not isinstance(enum, list)
            or not enum
            or not all(isinstance(v, str) for v in enum)
            or len(set(enum)) != len(enum)
        ):
            return PROBLEM_ENUM
    for key in ("minLength", "maxLength"):
        if key in spec and (
            not isinstance(spec[key], int)
            or isinstance(spec[key], bool)
            or not 0 <= spec[key] <= 10000
        ):
            return PROBLEM_LENGTH
    if "pattern" in spec:
        try:
            re.compile(spec["pattern"])
        except (re.error, TypeError):
            return PROBLEM_PATTERN
    return None


def _field_problem(spec: Any) -> Any:
    if not isinstance(spec, dict) or spec.get("type") not in KEYS_BY_TYPE:
        return PROBLEM_TYPE
    if not set(spec) <= KEYS_BY_TYPE[spec["type"]]:
        return PROBLEM_KEYWORD
    if not _title_ok(spec.get("title")):
        return PROBLEM_TITLE
    if spec["type"] == "string":
        return _string_problem(spec)
    bounds = [spec[k] for k in ("minimum", "maximum") if k in spec]
    if not all(_is_number(b) for b in bounds) or (len(bounds) == 2 and bounds[0] > bounds[1]):
        return PROBLEM_NUMBER
    return None


def form_schema_check(schema: Any) -> None:
    """Raise ``ValidationError`` (keyed ``form_schema``) unless ``schema`` is in the subset.
    An empty object means "no online form"."""
    if schema == {}:
        return
    error = _schema_error(schema)
    if error is not None:
        raise ValidationError({"form_schema": error})


def _schema_error(schema: Any) -> ValidationError | None:
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return ValidationError(MSG_SCHEMA_NOT_OBJECT, code="schema_invalid")
    unknown = sorted(set(schema) - TOP_KEYS)
    if unknown:
        return ValidationError(
            MSG_SCHEMA_UNKNOWN_KEY, code="schema_invalid", params={"key": unknown[0]}
        )
    if "title" in schema and not _title_ok(schema["title"]):
        return ValidationError(MSG_SCHEMA_BAD_TITLE, code="schema_invalid")
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        return ValidationError(MSG_SCHEMA_NOT_OBJECT, code="schema_invalid")
    return _properties_error(properties, schema.get("required", []))


def _properties_error(properties: dict[str, Any], required: Any) -> ValidationError | None:
    for name, spec in properties.items():
        if not FIELD_NAME.match(str(name)):
            return ValidationError(
                MSG_SCHEMA_BAD_NAME, code="schema_invalid", params={"name": name}
            )
        problem = _field_problem(spec)
        if problem is not None:
            return ValidationError(
                MSG_SCHEMA_BAD_FIELD,
                code="schema_invalid",
                params={"name": name, "problem": problem},
            )
    if not isinstance(required, list):
        return ValidationError(MSG_SCHEMA_NOT_OBJECT, code="schema_invalid")
    for name in required:
        if name not in properties:
            return ValidationError(
                MSG_SCHEMA_BAD_REQUIRED, code="schema_invalid", params={"name": name}
            )
    return None


def _clean_string(spec: dict[str, Any], value: Any) -> Any:
    if not isinstance(value, str):
        raise ValidationError(MSG_NOT_TEXT, code="not_text")
    value = value.strip()
    if spec.get("format") == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(MSG_NOT_DATE, code="not_date") from None
    if "enum" in spec and value not in spec["enum"]:
        raise ValidationError(MSG_NOT_CHOICE, code="not_choice")
    if "maxLength" in spec and len(value) > spec["maxLength"]:
        raise ValidationError(MSG_TOO_LONG, code="too_long", params={"limit": spec["maxLength"]})
    if "minLength" in spec and len(value) < spec["minLength"]:
        raise ValidationError(MSG_TOO_SHORT, code="too_short", params={"limit": spec["minLength"]})
    if "pattern" in spec and not re.fullmatch(spec["pattern"], value):
        raise ValidationError(MSG_PATTERN, code="pattern")
    return value


def _clean_number(spec: dict[str, Any], value: Any) -> int | Decimal:
    integer = spec["type"] == "integer"
    message, code = (MSG_NOT_INTEGER, "not_integer") if integer else (MSG_NOT_NUMBER, "not_number")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(message, code=code)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(message, code=code) from None
    if not number.is_finite() or (integer and number != number.to_integral_value()):
        raise ValidationError(message, code=code)
    if "minimum" in spec and number < Decimal(str(spec["minimum"])):
        raise ValidationError(MSG_TOO_SMALL, code="too_small", params={"limit": spec["minimum"]})
    if "maximum" in spec and number > Decimal(str(spec["maximum"])):
        raise ValidationError(MSG_TOO_BIG, code="too_big", params={"limit": spec["maximum"]})
    return int(number) if integer else number


def _clean_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise ValidationError(MSG_NOT_BOOLEAN, code="not_boolean")


def _clean_value(spec: dict[str, Any], value: Any) -> Any:
    if spec["type"] == "string":
        return _clean_string(spec, value)
    if spec["type"] == "boolean":
        return _clean_boolean(value)
    return _clean_number(spec, value)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def form_validate(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Check ``data`` (JSON values, or the strings of an HTML form) against ``schema``.

    Returns the cleaned values (dates as ``date``, numbers as ``int``/``Decimal``, absent
    optional fields left out; an absent optional boolean is ``False``, as an unticked
    checkbox). Raises one ``ValidationError`` with a translated message per bad field.
    """
    form_schema_check(schema)
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    errors: dict[str, list[ValidationError]] = {}
    unknown = sorted(set(data) - set(properties))
    if unknown:
        errors["__all__"] = [
            ValidationError(
                MSG_UNKNOWN_FIELDS, code="unknown_fields", params={"names": ", ".join(unknown)}
            )
        ]
    cleaned: dict[str, Any] = {}
    for name, spec in properties.items():
        value = data.get(name)
        if _is_blank(value):
            if name in required:
                errors[name] = [ValidationError(MSG_REQUIRED, code="required")]
            elif spec["type"] == "boolean":
                cleaned[name] = False
            continue
        try:
            cleaned[name] = _clean_value(spec, value)
        except ValidationError as exc:
            errors[name] = [exc]
    if errors:
        raise ValidationError(errors)
    return cleaned
