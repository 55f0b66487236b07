import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.core.models import WorkdayOverride
from yiwang.core.workdays import is_working_day, working_days_add, working_days_between

pytestmark = pytest.mark.django_db
D = dt.date


def test_weekend_make_up_day_is_a_working_day():
    # 2026-10-10 is a Saturday worked in exchange for the National Day holiday (调休).
    assert is_working_day(D(2026, 10, 10)) is True
    assert is_working_day(D(2026, 10, 1)) is False
    assert is_working_day(D(2026, 10, 11)) is False  # an ordinary Sunday


def test_adding_working_days_skips_the_national_day_holiday():
    # Received on Wednesday 30 September 2026; 1–7 October are the National Day holiday.
    assert working_days_add(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert working_days_add(D(2026, 9, 30), 2) == D(2026, 10, 9)
    assert working_days_add(D(2026, 9, 30), 3) == D(2026, 10, 10)  # the make-up Saturday
    assert working_days_add(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_a_five_day_limit_across_the_spring_festival():
    # 2026: Saturday 14 February is a make-up working day, 15–23 February are holidays,
    # Saturday 28 February is worked again.
    assert is_working_day(D(2026, 2, 14)) is True
    assert working_days_add(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert working_days_add(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert working_days_add(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert working_days_add(D(2026, 2, 13), 6) == D(2026, 2, 28)  # the second make-up Saturday
    assert working_days_add(D(2026, 2, 13), 7) == D(2026, 3, 2)
    assert working_days_between(D(2026, 2, 13), D(2026, 3, 2)) == 7


def test_zero_days_lands_on_a_working_day():
    assert working_days_add(D(2026, 10, 3), 0) == D(2026, 10, 8)
    assert working_days_add(D(2026, 10, 9), 0) == D(2026, 10, 9)


def test_negative_days_walk_backwards():
    assert working_days_add(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_override_table_wins_over_the_library():
    WorkdayOverride.objects.create(date=D(2026, 10, 8), is_working_day=False, name="test closure")

    assert is_working_day(D(2026, 10, 8)) is False
    assert working_days_add(D(2026, 9, 30), 1) == D(2026, 10, 9)


def test_unknown_year_falls_back_to_weekdays_plus_overrides():
    WorkdayOverride.objects.create(date=D(2030, 1, 1), is_working_day=False, name="元旦")

    assert is_working_day(D(2030, 1, 1)) is False
    assert is_working_day(D(2030, 1, 2)) is True
    assert is_working_day(D(2030, 1, 5)) is False  # Saturday


def test_between_counts_working_days_after_start():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert working_days_between(D(2026, 9, 30), D(2026, 9, 30)) == 0


@settings(max_examples=40, deadline=None)
@given(start=st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31)), n=st.integers(1, 60))
def test_add_and_between_are_inverse(start, n):
    end = working_days_add(start, n)

    assert is_working_day(end)
    assert working_days_between(start, end) == n
