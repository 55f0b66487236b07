"""GB 11643 resident ID numbers and GB 32100 unified social credit codes: property tests
(every generated valid identifier is accepted; changing any one character is rejected) and
the exact errors people see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from yiwang.core import ids

DIGITS = "0123456789"


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.text(DIGITS, min_size=6, max_size=6))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)))
    sequence = draw(st.text(DIGITS, min_size=3, max_size=3))
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + ids.resident_id_check_digit(first17)


@st.composite
def usccs(draw: st.DrawFn) -> str:
    first17 = draw(st.text(ids.USCC_ALPHABET, min_size=17, max_size=17))
    return first17 + ids.uscc_check_char(first17)


@given(resident_ids())
def test_valid_resident_ids_are_accepted(number: str) -> None:
    assert ids.validate_resident_id(number) == number
    assert ids.validate_resident_id(f" {number.lower()} ") == number


@given(resident_ids(), st.integers(0, 17), st.sampled_from(DIGITS + "X"))
def test_changing_one_character_of_a_resident_id_is_rejected(
    number: str, position: int, char: str
) -> None:
    if number[position] == char:
        char = "X" if char != "X" else "0"
    mutated = number[:position] + char + number[position + 1 :]
    # The GB 11643 check (ISO 7064 MOD 11-2) detects every single-character substitution.
    with pytest.raises(ValidationError):
        ids.validate_resident_id(mutated)


@given(usccs())
def test_valid_usccs_are_accepted(code: str) -> None:
    assert ids.validate_uscc(code) == code
    assert ids.validate_uscc(code.lower()) == code


@given(usccs(), st.integers(0, 17), st.sampled_from(ids.USCC_ALPHABET + "IOSVZ"))
def test_changing_one_character_of_a_uscc_is_rejected(code: str, position: int, char: str) -> None:
    if code[position] == char:
        char = "I"
    mutated = code[:position] + char + code[position + 1 :]
    # Modulus 31 with weights coprime to 31 catches every single substitution.
    with pytest.raises(ValidationError):
        ids.validate_uscc(mutated)


VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("11010519491231002", "resident_id_format", ids.MSG_RESIDENT_ID_FORMAT),
        ("1101051949123100AX", "resident_id_format", ids.MSG_RESIDENT_ID_FORMAT),
        ("110105194902300020", "resident_id_date", ids.MSG_RESIDENT_ID_DATE),  # 30 February
        ("110105187001010020", "resident_id_date", ids.MSG_RESIDENT_ID_DATE),  # before 1880
        ("110105194912310021", "resident_id_check", ids.MSG_RESIDENT_ID_CHECK),
    ],
)
def test_resident_id_errors(value: str, code: str, message: object) -> None:
    with pytest.raises(ValidationError) as exc:
        ids.validate_resident_id(value)
    assert (exc.value.code, exc.value.message) == (code, message)


def test_resident_id_birth_in_future_rejected() -> None:
    with pytest.raises(ValidationError) as exc:
        ids.validate_resident_id(VALID_ID, today=dt.date(1949, 12, 30))
    assert exc.value.code == "resident_id_date"
    assert ids.validate_resident_id(VALID_ID) == VALID_ID


@pytest.mark.parametrize("letter", "IOSVZ")
def test_uscc_illegal_letters(letter: str) -> None:
    code = "91350100M000100Y43"
    assert ids.validate_uscc(code) == code
    with pytest.raises(ValidationError) as exc:
        ids.validate_uscc(code[:10] + letter + code[11:])
    assert (exc.value.code, exc.value.message) == ("uscc_format", ids.MSG_USCC_FORMAT)


def test_uscc_wrong_check_char() -> None:
    with pytest.raises(ValidationError) as exc:
        ids.validate_uscc("91350100M000100Y44")
    assert (exc.value.code, exc.value.message) == ("uscc_check", ids.MSG_USCC_CHECK)


@pytest.mark.parametrize(
    ("func", "value", "masked"),
    [
        (ids.mask_resident_id, VALID_ID, "1101**********002X"),
        (ids.mask_phone, "13800138000", "138****8000"),
        (ids.mask_name, "张三丰", "张**"),
        (ids.mask_name, "", ""),
        (ids.mask_phone, "123", "***"),
    ],
)
def test_masks(func, value: str, masked: str) -> None:  # type: ignore[no-untyped-def]
    assert func(value) == masked


@pytest.mark.parametrize("value", ["+86 138 0013 8000", "13800138000"])
def test_phone_normalised(value: str) -> None:
    assert ids.validate_phone(value) == "13800138000"


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "138001380000", "abc"])
def test_phone_rejected(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        ids.validate_phone(value)
    assert exc.value.code == "phone_format"
