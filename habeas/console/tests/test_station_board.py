"""The station board: every police station with open cases, the worst first, in a fixed
handful of queries however many cases are open."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import staff_client
from habeas.cases.models import Case, CaseEvent, EventKind, Status
from habeas.console import board
from habeas.stations.models import PoliceStation

EN = {"Accept-Language": "en"}


def station(name: str) -> PoliceStation:
    return PoliceStation.objects.get(name=name)


def add_cases(n: int, *, near=None, held=None, status=Status.OPEN, lawyer=None, minutes=10):
    """`n` open cases at a station, `minutes` old, straight into the table (setup only)."""
    now = timezone.now()
    made = Case.objects.bulk_create(
        Case(status=status, near_station=near, police_station=held, assigned_lawyer=lawyer)
        for _ in range(n)
    )
    Case.objects.filter(pk__in=[c.pk for c in made]).update(
        created_at=now - timedelta(minutes=minutes)
    )
    return made


def rows_by_name(html: str) -> list[str]:
    return re.findall(r'<h2 id="station-\d+">(.*?)</h2>', html)


def test_the_worst_station_comes_first_most_waiting_then_longest_wait(dispatcher, stations):
    add_cases(1, near=station("ОВД Арбат"), minutes=90)
    add_cases(3, near=station("ОВД Тверской"), minutes=5)
    add_cases(1, held=station("ОВД Басманный"), minutes=30)
    add_cases(2, held=station("ОВД Хамовники"), status=Status.ASSIGNED)
    html = staff_client(dispatcher).get("/console/stations/", headers=EN).content.decode()
    assert rows_by_name(html) == ["ОВД Тверской", "ОВД Арбат", "ОВД Басманный", "ОВД Хамовники"]
    assert "ОВД Мещанский" not in html  # no open case there


def test_a_row_counts_people_waiting_lawyers_by_name_and_refusals_of_entry(
    dispatcher, lawyer_a, lawyer_b, stations
):
    tverskoy = station("ОВД Тверской")
    add_cases(2, near=tverskoy, minutes=42)
    add_cases(1, held=tverskoy, status=Status.LAWYER_ON_SITE, lawyer=lawyer_a)
    [refused] = add_cases(1, held=tverskoy, status=Status.ASSIGNED, lawyer=lawyer_b)
    CaseEvent.objects.create(
        case=refused, kind=EventKind.REFUSED_ENTRY, data={"reason": "fortress"}
    )
    old = CaseEvent.objects.create(case=refused, kind=EventKind.REFUSED_ENTRY)
    CaseEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    add_cases(1, held=tverskoy, status=Status.CLOSED, lawyer=lawyer_b)

    [row] = board.page_of(board.counted(), number="", station="").object_list
    assert (row.held, row.known, row.waiting, row.refused) == (4, 2, 2, 1)
    assert timedelta(minutes=41) < row.waited < timedelta(minutes=44)
    assert [(str(t.user), t.arrived) for t in row.lawyers] == [
        ("Anna Lawyer", True),
        ("Boris Lawyer", False),
    ]
    html = staff_client(dispatcher).get("/console/stations/", headers=EN).content.decode()
    assert 'Anna Lawyer <span class="hint">(at the station)' in html
    assert 'Boris Lawyer <span class="hint">(on the way)' in html
    assert "42 min" in html


def test_the_board_stays_a_fixed_number_of_queries_with_hundreds_of_cases(
    dispatcher, lawyer_a, stations
):
    every = list(PoliceStation.objects.all())
    client = staff_client(dispatcher)

    def cost() -> int:
        client.get("/console/stations/")  # the session's own first reads, once
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/console/stations/list/").status_code == 200
        return len(queries)

    add_cases(2, near=every[0])
    add_cases(1, held=every[1], status=Status.ASSIGNED, lawyer=lawyer_a)
    few = cost()
    for n, place in enumerate(every[:40]):
        add_cases(8, near=place, minutes=n)
        add_cases(2, held=place, status=Status.LAWYER_ON_SITE, lawyer=lawyer_a)
    assert Case.objects.open().count() > 400
    assert cost() == few
    # The session, the user and their device, the ETag's count, the board's five grouped
    # reads and the lawyer picker: a handful, not one per case or station.
    assert few <= 15, few


def test_everyone_on_staff_sees_the_board_but_only_lawyers_take_and_dispatchers_assign(
    dispatcher, lawyer_a, operator, stations, stranger
):
    add_cases(2, near=station("ОВД Тверской"))
    take, assign = "take-all", 'class="assign-here"'
    lawyer = staff_client(lawyer_a).get("/console/stations/", headers=EN).content.decode()
    assert take in lawyer and assign not in lawyer
    assert "You have room for 3 more cases." in lawyer
    desk = staff_client(dispatcher).get("/console/stations/", headers=EN).content.decode()
    assert assign in desk and take not in desk
    assert "Anna Lawyer — on duty, 0 of 3 cases" in desk
    phone = staff_client(operator).get("/console/stations/", headers=EN).content.decode()
    assert "ОВД Тверской" in phone and take not in phone and assign not in phone
    assert stranger.get("/console/stations/").status_code == 302


def test_the_live_board_answers_304_while_nothing_changed(dispatcher, stations):
    add_cases(1, near=station("ОВД Тверской"))
    client = staff_client(dispatcher)
    first = client.get("/console/stations/list/")
    assert first.status_code == 200
    again = client.get("/console/stations/list/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_the_board_is_in_russian_for_a_russian_reader(dispatcher, stations):
    add_cases(1, near=station("ОВД Тверской"))
    html = staff_client(dispatcher).get("/console/stations/", headers={"Accept-Language": "ru"})
    text = html.content.decode()
    assert "Ждёт адвоката" in text
    assert "Waiting for a lawyer" not in text and "Longest wait" not in text


def test_the_board_comes_in_pages_the_worst_first_and_the_picker_lists_every_page(
    dispatcher, stations, monkeypatch
):
    monkeypatch.setattr("habeas.console.board.PAGE_SIZE", 2)
    names = ["ОВД Тверской", "ОВД Арбат", "ОВД Басманный", "ОВД Хамовники", "ОВД Мещанский"]
    for waiting, name in enumerate(reversed(names), start=1):
        add_cases(waiting, near=station(name))
    client = staff_client(dispatcher)
    first = client.get("/console/stations/", headers=EN).content.decode()
    assert rows_by_name(first) == names[:2]
    assert "5 stations with open cases · 15 people waiting for a lawyer" in first
    assert "Stations 1–2 of 5" in first and "Page 1 of 3" in first
    assert 'rel="next" href="/console/stations/?page=2"' in first
    # The dispatcher's picker gives any station's waiting cases, not only this page's.
    picker = first[first.index('id="assign-station"') : first.index("</select>")]
    assert all(f'value="{station(name).pk}"' in picker for name in names)
    last = client.get("/console/stations/?page=3", headers=EN).content.decode()
    assert rows_by_name(last) == names[4:]
    assert 'data-url="/console/stations/list/?page=3"' in last
    poll = client.get("/console/stations/list/?page=2", headers=EN).content.decode()
    assert rows_by_name(poll) == names[2:4]
    # Past the end, or not a number: the last page, or the first, never an error.
    assert rows_by_name(client.get("/console/stations/?page=99").content.decode()) == names[4:]
    assert rows_by_name(client.get("/console/stations/?page=x").content.decode()) == names[:2]


def test_a_station_named_in_the_address_opens_the_page_that_shows_it(
    dispatcher, stations, monkeypatch
):
    # The map links to a station's row; the board finds the page that row is on.
    monkeypatch.setattr("habeas.console.board.PAGE_SIZE", 2)
    for minutes, name in enumerate(["ОВД Тверской", "ОВД Арбат", "ОВД Басманный"], start=1):
        add_cases(1, near=station(name), minutes=100 - minutes)
    client = staff_client(dispatcher)
    basmanny = station("ОВД Басманный")
    html = client.get(f"/console/stations/?station={basmanny.pk}", headers=EN).content.decode()
    assert rows_by_name(html) == ["ОВД Басманный"] and "Page 2 of 2" in html
    assert 'data-url="/console/stations/list/?page=2"' in html
    # A station without open cases, or no station at all, is simply the first page.
    quiet = station("ОВД Хамовники").pk
    html = client.get(f"/console/stations/?station={quiet}", headers=EN).content.decode()
    assert rows_by_name(html) == ["ОВД Тверской", "ОВД Арбат"]
    assert rows_by_name(client.get("/console/stations/?station=<x>").content.decode()) == [
        "ОВД Тверской",
        "ОВД Арбат",
    ]
