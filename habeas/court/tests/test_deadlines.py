"""The appeal deadline on Russia's real 2024–2026 calendars: 10 days from the copy, moved
past non-working days (KoAP 30.3 p.1, Law 364-FZ), working Saturdays kept."""

from datetime import date

import pytest

from habeas.court.deadlines import appeal_deadline, arrest_ends, is_working_day


@pytest.mark.parametrize(
    ("copy", "due", "why"),
    [
        (date(2025, 10, 6), date(2025, 10, 16), "an ordinary Thursday"),
        (date(2025, 10, 8), date(2025, 10, 20), "a Saturday moves to Monday"),
        (date(2024, 12, 25), date(2025, 1, 9), "across the New Year holidays (4 Jan → 9 Jan)"),
        (date(2025, 12, 22), date(2026, 1, 12), "1 Jan 2026 and the holidays to 11 Jan"),
        (date(2025, 10, 24), date(2025, 11, 5), "3 Nov (moved day off) and 4 Nov"),
        (date(2025, 10, 22), date(2025, 11, 1), "1 Nov 2025 is a working Saturday"),
        (date(2024, 4, 17), date(2024, 4, 27), "27 Apr 2024 is a working Saturday"),
        (date(2024, 4, 22), date(2024, 5, 2), "1 May, then 2 May (Thursday) is working"),
        (date(2024, 4, 20), date(2024, 5, 2), "30 Apr and 1 May 2024 off"),
    ],
)
def test_the_appeal_deadline_on_real_calendars(copy, due, why):
    assert appeal_deadline(copy) == due, why


def test_the_calendar_knows_moved_days_off_and_working_saturdays():
    assert not is_working_day(date(2025, 11, 3))  # a Monday off, moved from 1 Nov
    assert is_working_day(date(2025, 11, 1))  # a Saturday worked
    assert not is_working_day(date(2026, 1, 8))
    assert is_working_day(date(2026, 1, 12))


def test_an_arrest_of_15_days_from_3_february_ends_on_17_february():
    assert arrest_ends(date(2021, 2, 3), 15) == date(2021, 2, 17)
