"""Court deadlines in Russia's working calendar: plain date arithmetic, no database.

An appeal against a KoAP decision is due within 10 days of receiving its copy (KoAP 30.3 p.1).
Since 29.10.2024 (Law 364-FZ) the term counts in days, and when its last day is a non-working
day it moves to the next working day (../shared/legal-facts-ru.md, §7). Non-working days are
Saturdays and Sundays, public holidays and the days off the government moves each year, except
the Saturdays it makes working days: all from the `holidays` package's Russian calendar, which
carries the published transfers (a year not yet decreed has only its fixed holidays).
"""

from datetime import date, timedelta
from functools import cache

import holidays

APPEAL_DAYS = 10


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


def is_working_day(day: date) -> bool:
    return _calendar(day.year).is_working_day(day)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def appeal_deadline(copy_received: date) -> date:
    """The last day to file an appeal against a decision whose copy came on this day."""
    return next_working_day(copy_received + timedelta(days=APPEAL_DAYS))


def arrest_ends(starts: date, days: int) -> date:
    """The last day of an administrative arrest of `days` days that began on `starts`.

    The time already held before the decision counts towards the arrest (KoAP 32.8 p.3), so
    the person may be out sooner: this is the latest date, for the family to plan by.
    """
    return starts + timedelta(days=days - 1)
