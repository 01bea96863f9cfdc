"""Working days in the Netherlands: Monday to Friday, without the Dutch public holidays.

The holidays come from the kept ``holidays`` library (``holidays.NL``), so Easter, Ascension,
Whitsun and King's Day move with the calendar without anyone maintaining a list.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

SATURDAY = 5


@cache
def _dutch_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in _dutch_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself does not count)."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        count -= is_working_day(current)
    return current


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    return day if is_working_day(day) else add_working_days(day, 1)
