import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from yiwang.halls.models import opening_hours_check
from yiwang.halls.tests.factories import hall_create


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ([], "hours_shape"),
        ({"7": []}, "hours_shape"),
        ({"0": "09:00-17:00"}, "hours_shape"),
        ({"0": [["9:00", "12:00"]]}, "hours_shape"),
        ({"0": [["09:00", "24:00"]]}, "hours_shape"),
        ({"0": [["09:00"]]}, "hours_shape"),
        ({"0": [["12:00", "09:00"]]}, "hours_order"),
        ({"0": [["09:00", "12:00"], ["11:00", "17:00"]]}, "hours_order"),
    ],
)
def test_bad_opening_hours(value: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        opening_hours_check(value)
    assert info.value.code == code


def test_good_opening_hours() -> None:
    opening_hours_check({"0": [["09:00", "12:00"], ["13:30", "17:00"]], "5": []})


@pytest.mark.django_db
def test_a_hall_with_bad_hours_is_not_saved() -> None:
    with pytest.raises(ValidationError):
        hall_create(opening_hours={"0": [["17:00", "09:00"]]})


@pytest.mark.django_db
def test_make_up_weekend_working_day_keeps_monday_hours() -> None:
    hall = hall_create()
    monday = [(dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17))]
    assert hall.periods_on(dt.date(2026, 11, 30)) == monday
    # Sunday 4 January 2026 was a 调休 working day: Monday's hours.
    assert hall.periods_on(dt.date(2026, 1, 4)) == monday
