"""The anonymous install count on the staff figures page and in its CSV, per day and week."""

import csv
import io
import re
from datetime import date

from conftest import staff_client
from habeas.stats import services as stats

EN = {"Accept-Language": "en"}


def installs(*days_counts) -> None:
    for day, n in days_counts:
        for _ in range(n):
            stats.count_install(day)


def installs_row(text: str) -> list[str]:
    """The cells of the page's install row: the periods' values, then the total."""
    row = re.search(r"first installs of the app&#x27;s offline worker</th>(.*?)</tr>", text, re.S)
    assert row, "no install row on the page"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


def test_the_page_shows_installs_per_day_in_the_period(dispatcher):
    # 30 January is outside the period: it is not counted.
    installs((date(2021, 1, 30), 7), (date(2021, 1, 31), 3), (date(2021, 2, 1), 1))
    page = staff_client(dispatcher, headers=EN).get(
        "/console/figures/?by=day&from=2021-01-31&to=2021-02-01"
    )
    text = page.content.decode()
    assert "The app&#x27;s first installs (anonymous)" in text
    assert installs_row(text) == ["3", "1", "4"]


def test_per_week_the_days_of_a_week_add_up(dispatcher):
    installs((date(2021, 1, 25), 2), (date(2021, 1, 31), 3), (date(2021, 2, 1), 5))
    page = staff_client(dispatcher, headers=EN).get(
        "/console/figures/?by=week&from=2021-01-25&to=2021-02-07"
    )
    assert installs_row(page.content.decode()) == ["5", "5", "10"]


def test_a_period_with_no_installs_shows_zeros(dispatcher):
    page = staff_client(dispatcher, headers=EN).get(
        "/console/figures/?by=day&from=2021-01-31&to=2021-02-01"
    )
    assert installs_row(page.content.decode()) == ["0", "0", "0"]


def test_the_csv_has_the_install_row(dispatcher):
    installs((date(2021, 1, 31), 3), (date(2021, 2, 1), 1))
    answer = staff_client(dispatcher, headers=EN).get(
        "/console/figures/figures.csv?by=day&from=2021-01-31&to=2021-02-01"
    )
    rows = {
        (r["section"], r["key"]): r for r in csv.DictReader(io.StringIO(answer.content.decode()))
    }
    row = rows["installs", "installs"]
    assert (row["2021-01-31"], row["2021-02-01"], row["total"]) == ("3", "1", "4")
    assert row["label"] == "first installs of the app's offline worker"


def test_in_russian(dispatcher):
    page = staff_client(dispatcher, headers={"Accept-Language": "ru"}).get(
        "/console/figures/?by=day&from=2021-01-31&to=2021-02-01"
    )
    assert "Первые установки приложения (анонимно)" in page.content.decode()
