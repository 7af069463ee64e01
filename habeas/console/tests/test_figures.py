"""The organisation's own figures in the console: dispatchers and administrators only, a
period per day or week checked field by field, two CSV downloads, each audited."""

import csv
import io

import pytest

from conftest import staff_client
from habeas.accounts.models import AuditEntry
from habeas.stats.tests.own_day import craft

EN = {"Accept-Language": "en"}
RU = {"Accept-Language": "ru"}
PERIOD = "?by=day&from=2021-01-31&to=2021-02-01"


def test_a_stranger_is_sent_to_log_in(stranger, db):
    answer = stranger.get("/console/figures/")
    assert answer.status_code == 302 and "/console/login/" in answer["Location"]
    assert stranger.get("/console/figures/figures.csv").status_code == 302


def test_a_lawyer_is_refused_and_has_no_link(lawyer_a):
    client = staff_client(lawyer_a, headers=EN)
    for url in (
        "/console/figures/",
        "/console/figures/figures.csv",
        "/console/figures/obstruction-by-station.csv",
    ):
        refused = client.get(url + PERIOD)
        assert refused.status_code == 403
        assert "Only dispatchers and administrators" in refused.content.decode()
    assert 'href="/console/figures/"' not in client.get("/console/").content.decode()
    assert not AuditEntry.objects.filter(actor=lawyer_a, what__contains="exported").exists()


def test_a_dispatcher_sees_the_figures_without_names_or_case_ids(dispatcher):
    made = craft()
    client = staff_client(dispatcher, headers=EN)
    page = client.get("/console/figures/" + PERIOD)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'href="/console/figures/"' in text  # in the nav
    assert "Requests by kind" in text and "2021-01-31" in text and "2021-02-01" in text
    assert "Refused entries, by reason" in text and "“Fortress” plan declared" in text
    for case in made["cases"]:
        assert case.public_id not in text


def test_an_administrator_sees_them_in_russian(admin):
    craft()
    page = staff_client(admin, headers=RU).get(
        "/console/figures/?by=week&from=2021-01-31&to=2021-02-01"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Показатели" in text and "Обращения по видам" in text and "неделя с 2021-01-25" in text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?by=month", "“by”"),
        ("?from=31.01.2021", "“from”"),
        ("?to=tomorrow", "“to”"),
        ("?from=2021-02-02&to=2021-02-01", "“from”"),
        ("?by=day&from=2021-01-01&to=2021-03-31", "“from” and “to”"),
        ("?by=week&from=2019-01-01&to=2021-03-31", "“from” and “to”"),
    ],
)
def test_a_bad_period_is_a_400_naming_the_field(dispatcher, query, field):
    client = staff_client(dispatcher, headers=EN)
    for url in (
        "/console/figures/",
        "/console/figures/figures.csv",
        "/console/figures/obstruction-by-station.csv",
    ):
        answer = client.get(url + query)
        assert answer.status_code == 400, url
        assert field in answer.content.decode()
    assert not AuditEntry.objects.filter(what__contains="exported").exists()


def read_csv(answer) -> list[dict]:
    assert answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(answer.content.decode())))


def test_the_figures_csv_and_its_audit_entry(dispatcher):
    made = craft()
    answer = staff_client(dispatcher, headers=EN).get("/console/figures/figures.csv" + PERIOD)
    rows = {(r["section"], r["key"]): r for r in read_csv(answer)}
    detention = rows["kinds", "detention"]
    assert (detention["label"], detention["2021-01-31"], detention["2021-02-01"]) == (
        "Detention",
        "4",
        "1",
    )
    assert detention["total"] == "5"
    assert rows["reach", "not_reached"]["total"] == "2"
    assert rows["times", "to_acceptance_p90"]["2021-01-31"] == "20"
    assert rows["times", "to_station_p90"]["2021-02-01"] == "60"
    assert rows["load", "cases_per_lawyer_max"]["total"] == "3"
    assert rows["channels", "unknown"]["label"] == "not known (no report kept)"
    text = answer.content.decode()
    assert all(case.public_id not in text for case in made["cases"])
    [entry] = AuditEntry.objects.filter(actor=dispatcher, action="view")
    assert entry.action == "view" and entry.case_ref == ""
    assert entry.what == "figures exported (day, 2021-01-31 to 2021-02-01)"


def test_the_obstruction_by_station_csv_and_its_audit_entry(dispatcher):
    made = craft()
    answer = staff_client(dispatcher, headers=EN).get(
        "/console/figures/obstruction-by-station.csv" + PERIOD
    )
    [row] = read_csv(answer)
    assert row["station_id"] == str(made["station"].pk) and row["station"] == "ОВД Тверской"
    assert (row["refused_fortress"], row["refused_not_here"], row["refused_total"]) == (
        "1",
        "1",
        "2",
    )
    assert (row["waits"], row["wait_median_minutes"], row["wait_p90_minutes"]) == ("2", "20", "40")
    assert row["wait_longest_minutes"] == "40"
    [entry] = AuditEntry.objects.filter(actor=dispatcher, action="view")
    assert entry.what == "obstruction by station exported (2021-01-31 to 2021-02-01)"
