import re
from datetime import timedelta

from conftest import staff_client
from habeas.cases.models import Case, CaseEvent, EventKind
from habeas.console.casepage import waits
from habeas.dispatch import services as dispatch

from .helpers import act, case_of

EN = {"Accept-Language": "en"}


def shift(case: Case, kind: str, minutes: int) -> None:
    """Move an event to `minutes` after the SOS, as if the steps had taken that long."""
    event = case.events.filter(kind=kind).order_by("created_at").first()
    CaseEvent.objects.filter(pk=event.pk).update(
        created_at=case.created_at + timedelta(minutes=minutes)
    )


def waiting_times(html: str) -> dict[str, str]:
    found = re.search(r'<dl class="facts waits" id="waits">(.*?)</dl>', html, re.S)
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", found.group(1))) if found else {}


def test_the_case_page_shows_how_long_each_step_took(lawyer_a, detainee):
    case = case_of(detainee)
    offer = dispatch.offer_next(case.pk)
    client = staff_client(offer.lawyer)
    client.post(f"/console/offers/{offer.pk}/answer/", {"answer": "accept"})
    for step in ("en_route", "at_station", "admitted"):
        act(client, detainee.case_id, step)
    for kind, minutes in [
        (EventKind.OFFERED, 0),
        (EventKind.ACCEPTED, 4),
        (EventKind.LAWYER_ARRIVED, 65),
        (EventKind.ADMITTED, 112),
    ]:
        shift(case, kind, minutes)
    html = client.get(f"/console/cases/{detainee.case_id}/", headers=EN).content.decode()
    times = waiting_times(html)
    assert times == {
        "SOS → first offer": "0 s",
        "SOS → a lawyer took it": "4 min",
        "At the station → let in": "47 min",
    }


def test_a_refusal_of_entry_shows_its_reason_in_the_timeline_and_its_wait(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    for step in ("take", "at_station"):
        act(client, detainee.case_id, step)
    act(client, detainee.case_id, "refused_entry", reason="not_here")
    case = case_of(detainee)
    shift(case, EventKind.LAWYER_ARRIVED, 30)
    shift(case, EventKind.REFUSED_ENTRY, 155)
    html = client.get(f"/console/cases/{detainee.case_id}/", headers=EN).content.decode()
    refused = re.search(r'<li class="event event-refused_entry".*?</li>', html, re.S).group(0)
    assert "Told the person is not here" in refused
    times = waiting_times(html)
    assert times["At the station → refused entry"] == "2 h 5 min"
    assert "SOS → first offer" not in times  # taken by hand: no offer was made


def test_a_fresh_case_shows_no_waiting_times_yet(lawyer_a, detainee):
    html = staff_client(lawyer_a).get(f"/console/cases/{detainee.case_id}/").content.decode()
    assert 'id="waits"' not in html


def test_only_entry_after_the_first_arrival_counts(lawyer_a, detainee):
    case = case_of(detainee)
    events = [
        CaseEvent(case=case, kind=EventKind.LAWYER_ARRIVED),
        CaseEvent(case=case, kind=EventKind.REFUSED_ENTRY),
        CaseEvent(case=case, kind=EventKind.ADMITTED),
    ]
    for minutes, event in zip((10, 25, 90), events, strict=True):
        event.created_at = case.created_at + timedelta(minutes=minutes)
    found = {w.label: w.took for w in waits(case, events)}
    assert list(found.values()) == [timedelta(minutes=15)]
