from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from yiwang.regions import selectors
from yiwang.regions.codes import region_code_clean

VALID_LENGTHS = (2, 4, 6, 9, 12)
ascii_digits = st.text(alphabet="0123456789", min_size=1, max_size=16)


@given(
    st.sampled_from(VALID_LENGTHS).flatmap(
        lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
    )
)
def test_codes_of_valid_length_are_accepted_and_stripped(code: str) -> None:
    assert region_code_clean(f" {code} ") == code


@given(ascii_digits.filter(lambda c: len(c) not in VALID_LENGTHS))
def test_codes_of_other_lengths_are_rejected(code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        region_code_clean(code)
    assert exc.value.error_dict["code"][0].code == "region_code_length"


@given(
    st.text(min_size=1, max_size=12).filter(
        lambda c: not (c.strip().isascii() and c.strip().isdigit())
    )
)
def test_anything_but_ascii_digits_is_rejected(code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        region_code_clean(code)
    assert exc.value.error_dict["code"][0].code == "region_code_not_digits"


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.sampled_from(VALID_LENGTHS))
def test_every_prefix_of_a_village_code_contains_it(village: str, length: int) -> None:
    assert selectors.region_is_within(code=village, ancestor_code=village[:length]) is True
    assert selectors.region_is_within(code=village[:length], ancestor_code=village) is (
        length == 12
    )
