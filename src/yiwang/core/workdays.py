"""The working-day calendar: every time limit in the platform counts 工作日 with it.

Source of truth, in order: the admin-editable ``WorkdayOverride`` table, then the
``chinesecalendar`` library (statutory holidays and 调休 make-up days as published by the State
Council), then — for a year neither knows — Monday to Friday. Day ``0`` is the start date.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import structlog

from yiwang.core.models import WorkdayOverride

log = structlog.get_logger(__name__)

# Upper bound on how far a loop may walk: 20 years of days, far beyond any legal time limit.
MAX_SPAN_DAYS = 366 * 20


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    rows = WorkdayOverride.objects.filter(date__gte=start, date__lte=end)
    return dict(rows.values_list("date", "is_working_day"))


def _library_says(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # chinesecalendar has no data for this year (not a stub of ours)
        log.warning("workday_calendar_unknown_year", year=day.year)
        return day.weekday() < 5


def _window(start: dt.date, step: int, span: int) -> dict[dt.date, bool]:
    offset = dt.timedelta(days=span)
    return _overrides(start, start + offset) if step > 0 else _overrides(start - offset, start)


def is_working_day(day: dt.date) -> bool:
    override = _overrides(day, day).get(day)
    return _library_says(day) if override is None else override


def working_days_add(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (before it when negative).

    ``working_days_add(d, 0)`` is ``d`` itself when it is a working day, else the next one — so a
    deadline always lands on a working day. A time limit of N working days for something received
    on ``d`` ends on ``working_days_add(d, N)``: the day of receipt does not count.
    """
    step = 1 if days >= 0 else -1
    # Long holiday runs never triple a span plus a month; the loop fetches more if they do.
    span = min(MAX_SPAN_DAYS, abs(days) * 3 + 30)
    overrides = _window(start, step, span)

    def working(day: dt.date) -> bool:
        value = overrides.get(day)
        return _library_says(day) if value is None else value

    day = start
    if days == 0:
        while not working(day):
            day += dt.timedelta(days=1)
        return day
    remaining = abs(days)
    walked = 0
    while remaining:
        day += dt.timedelta(days=step)
        walked += 1
        if walked > MAX_SPAN_DAYS:
            raise ValueError("working-day span too large")
        if walked > span:  # the window fetched was too short: fetch the next one
            overrides.update(_window(day, step, span))
            span += span
        if working(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is
    earlier): ``working_days_between(d, working_days_add(d, n)) == n`` for n ≥ 1."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = (start, end) if sign > 0 else (end, start)
    overrides = _overrides(lo, hi)
    count = 0
    day = lo + dt.timedelta(days=1)
    while day <= hi:
        value = overrides.get(day)
        if _library_says(day) if value is None else value:
            count += 1
        day += dt.timedelta(days=1)
    return sign * count
