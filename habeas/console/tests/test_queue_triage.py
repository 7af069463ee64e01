"""The queue as a triage tool: pages, sorts, filters, search, badges and the lawyer's own work."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import DETAINEE_BODY, staff_client
from habeas.accounts.models import AuditEntry, User
from habeas.cases.models import Case, Kind, Origin
from habeas.dispatch.models import Offer, OfferState
from habeas.stations.models import PoliceStation

from .helpers import case_of, open_case


def card_ids(html: str) -> list[str]:
    return re.findall(r'data-case-id="([^"]+)"', html)


def page(user, query: str = "", fragment: bool = False):
    path = "/console/queue/list/" if fragment else "/console/"
    return staff_client(user).get(path + query, headers={"Accept-Language": "en"})


def aged(case: Case, minutes: int) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    return case


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("habeas.console.queue.PAGE_SIZE", 2)


def test_no_case_drops_out_of_the_queue_the_oldest_are_on_the_last_page_with_counts(
    dispatcher, small_pages
):
    cases = [aged(open_case(), minutes) for minutes in (50, 40, 30, 20, 10)]
    first = page(dispatcher).content.decode()
    assert card_ids(first) == [cases[0].public_id, cases[1].public_id]
    assert "Cases 1–2 of 5" in first
    assert "Page 1 of 3" in first and 'rel="next" href="?page=2"' in first
    oldest = page(dispatcher, "?sort=oldest&page=2").content.decode()
    assert 'rel="prev" href="?sort=oldest&amp;page=1"' in oldest
    last = page(dispatcher, "?page=3").content.decode()
    assert card_ids(last) == [cases[4].public_id]
    assert "Cases 5–5 of 5" in last


def test_a_page_past_the_end_shows_the_last_page(dispatcher, small_pages):
    cases = [aged(open_case(), minutes) for minutes in (30, 20, 10)]
    response = page(dispatcher, "?page=99")
    assert response.status_code == 200
    assert card_ids(response.content.decode()) == [cases[2].public_id]


def test_other_sorts_are_one_click_away_and_newest_first_is_one_of_them(dispatcher):
    old, new = aged(open_case(), 30), aged(open_case(), 5)
    html = page(dispatcher).content.decode()
    assert card_ids(html) == [old.public_id, new.public_id]
    assert 'href="?sort=newest"' in html
    assert card_ids(page(dispatcher, "?sort=newest").content.decode()) == [
        new.public_id,
        old.public_id,
    ]


def test_the_filters_narrow_the_queue_by_kind_flag_assignment_and_wait(dispatcher, lawyer_a):
    summons = open_case(kind=Kind.SUMMONS)
    duress = aged(open_case(), 45)
    Case.objects.filter(pk=duress.pk).update(origin=Origin.DURESS)
    taken = open_case()
    Case.objects.filter(pk=taken.pk).update(assigned_lawyer=lawyer_a, status="assigned")
    assert card_ids(page(dispatcher, "?kind=summons").content.decode()) == [summons.public_id]
    assert card_ids(page(dispatcher, "?flag=duress").content.decode()) == [duress.public_id]
    assert taken.public_id not in card_ids(page(dispatcher, "?unassigned=on").content.decode())
    assert card_ids(page(dispatcher, "?waiting=30").content.decode()) == [duress.public_id]
    assert card_ids(page(dispatcher, "?status=assigned").content.decode()) == [taken.public_id]


def test_the_station_filter_finds_cases_held_there_or_sent_from_near_it(dispatcher, stations):
    tverskoy = PoliceStation.objects.get(name="ОВД Тверской")
    held, near, elsewhere = open_case(), open_case(), open_case()
    Case.objects.filter(pk=held.pk).update(police_station=tverskoy)
    Case.objects.filter(pk=near.pk).update(near_station=tverskoy, police_station=None)
    html = page(dispatcher, f"?station={tverskoy.pk}").content.decode()
    assert sorted(card_ids(html)) == sorted([held.public_id, near.public_id])
    assert elsewhere.public_id not in html


def test_the_station_filter_offers_only_the_places_of_open_cases_and_keeps_the_choice(
    dispatcher, stations
):
    held_at, near_to, closed_at, *_rest = PoliceStation.objects.order_by("pk")
    held, near, closed = open_case(), open_case(), open_case()
    Case.objects.filter(pk=held.pk).update(police_station=held_at)
    Case.objects.filter(pk=near.pk).update(near_station=near_to, police_station=None)
    Case.objects.filter(pk=closed.pk).update(police_station=closed_at, status="closed")
    html = page(dispatcher, f"?station={near_to.pk}").content.decode()
    picker = html[
        html.index('name="station"') : html.index("</select>", html.index('name="station"'))
    ]
    assert f'<option value="{held_at.pk}">' in picker
    assert f'<option value="{near_to.pk}" selected>' in picker
    assert f'value="{closed_at.pk}"' not in picker
    # Once the case is closed, its station is no longer one to filter by: a clear 400.
    Case.objects.filter(pk=near.pk).update(status="closed")
    assert page(dispatcher, f"?station={near_to.pk}").status_code == 400


def test_a_dispatcher_finds_a_case_by_its_id_even_typed_in_lower_case(dispatcher):
    wanted, _other = open_case(), open_case()
    html = page(dispatcher, f"?q={wanted.public_id.lower()}").content.decode()
    assert card_ids(html) == [wanted.public_id]


def test_a_dispatcher_finds_a_person_by_name_and_date_of_birth_and_it_is_audited(
    dispatcher, detainee
):
    open_case()
    person = DETAINEE_BODY["person"]
    query = f"?name={person['full_name'].upper()}&born={person['date_of_birth']}"
    html = page(dispatcher, query).content.decode()
    assert card_ids(html) == [detainee.case_id]
    assert AuditEntry.objects.filter(
        actor=dispatcher, action="view", what="queue search by name and date of birth"
    ).exists()


def test_a_name_with_another_date_of_birth_finds_nobody(dispatcher, detainee):
    query = f"?name={DETAINEE_BODY['person']['full_name']}&born=1995-04-13"
    assert card_ids(page(dispatcher, query).content.decode()) == []


def test_a_name_without_a_date_of_birth_is_refused_as_there_is_no_plain_text_search(
    dispatcher, detainee
):
    response = page(dispatcher, "?name=Мария")
    assert response.status_code == 400
    assert "Give both the full name and the date of birth" in response.content.decode()


def test_a_lawyer_cannot_look_people_up_by_name(lawyer_a, detainee):
    query = f"?name={DETAINEE_BODY['person']['full_name']}&born=1995-04-12"
    response = page(lawyer_a, query)
    assert response.status_code == 400
    assert detainee.case_id not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?page=-1",
        "?page=x",
        "?sort=random",
        "?flag=vip",
        "?kind=riot",
        "?waiting=-5",
        "?station=999999",
        "?born=yesterday",
        "?q=" + "A" * 10_000,
        "?name=" + "я" * 10_000,
    ],
)
def test_bad_filters_get_a_clear_400_on_the_page_and_the_poll(dispatcher, query):
    for fragment in (False, True):
        response = page(dispatcher, query, fragment=fragment)
        assert response.status_code == 400
        assert "These filters cannot be used" in response.content.decode()


def test_unknown_parameters_are_ignored(dispatcher, detainee):
    assert card_ids(page(dispatcher, "?colour=red").content.decode()) == [detainee.case_id]


def test_the_poll_keeps_the_filters_of_the_page(dispatcher):
    summons = open_case(kind=Kind.SUMMONS)
    open_case()
    html = page(dispatcher, "?kind=summons&sort=newest").content.decode()
    url = re.search(r'data-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert url == "/console/queue/list/?kind=summons&sort=newest"
    polled = staff_client(dispatcher).get(url).content.decode()
    assert card_ids(polled) == [summons.public_id]


def test_another_filter_is_another_etag(dispatcher, detainee):
    client = staff_client(dispatcher)
    etag = client.get("/console/queue/list/")["ETag"]
    other = client.get("/console/queue/list/?kind=summons", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_the_badges_tell_no_lawyer_free_from_offered_from_declined_from_escalated(
    dispatcher, lawyer_a, lawyer_b
):
    nobody, offered, declined, escalated = (aged(open_case(), m) for m in (40, 30, 20, 10))
    later = timezone.now() + timedelta(minutes=3)
    Offer.objects.create(case=offered, lawyer=lawyer_a, expires_at=later)
    for lawyer in (lawyer_a, lawyer_b):
        Offer.objects.create(
            case=declined, lawyer=lawyer, expires_at=later, state=OfferState.DECLINED
        )
    Case.objects.filter(pk=escalated.pk).update(escalated_at=timezone.now())
    html = page(dispatcher).content.decode()
    cards = {m[1]: m[0] for m in re.finditer(r'data-case-id="([^"]+)".*?</li>', html, re.S)}
    assert "no lawyer free" in cards[nobody.public_id]
    assert "offered, no answer yet" in cards[offered.public_id]
    assert "no lawyer free" not in cards[offered.public_id]
    assert "declined by 2" in cards[declined.public_id]
    assert "escalated" in cards[escalated.public_id]
    assert "no lawyer free" not in cards[escalated.public_id]


def test_a_lawyer_sees_their_offers_then_their_cases_above_the_queue(lawyer_a, detainee):
    mine = open_case()
    Case.objects.filter(pk=mine.pk).update(assigned_lawyer=lawyer_a, status="assigned")
    offered = case_of(detainee)
    Offer.objects.create(
        case=offered, lawyer=lawyer_a, expires_at=timezone.now() + timedelta(minutes=3)
    )
    html = page(lawyer_a).content.decode()
    offers_at = html.index("Offered to you")
    mine_at = html.index(f'data-my-case-id="{mine.public_id}"')
    queue_at = html.index('data-case-id="')
    assert offers_at < mine_at < queue_at


def test_a_lawyer_without_cases_sees_no_empty_sections(lawyer_a, detainee):
    html = page(lawyer_a).content.decode()
    assert "Your cases" not in html
    assert "Offered to you" not in html


def test_a_minor_who_just_arrived_still_comes_before_an_adult_waiting_an_hour(dispatcher):
    adult = aged(open_case(), 60)
    minor = open_case(name="Петя Сидоров", born=date(2012, 5, 5))
    assert card_ids(page(dispatcher).content.decode()) == [minor.public_id, adult.public_id]


def test_the_filters_are_folded_away_until_one_is_set(dispatcher, detainee):
    assert '<details class="queue-more">' in page(dispatcher).content.decode()
    opened = page(dispatcher, "?kind=summons").content.decode()
    assert '<details class="queue-more" open>' in opened
    assert '<option value="summons" selected>' in opened


def test_the_city_filter_finds_cases_by_their_place_or_the_city_given(dispatcher, stations):
    spb = PoliceStation.objects.filter(city="санкт-петербург").first()
    held_there = open_case(name="Пётр Первый", location=None)
    Case.objects.filter(pk=held_there.pk).update(police_station=spb)
    given = open_case(name="Анна Ахматова", city="Питер")
    in_moscow = open_case(name="Иван Петров")  # the helper's Moscow
    page = staff_client(dispatcher, headers={"Accept-Language": "en"}).get(
        "/console/", {"city": "санкт-петербург"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert held_there.public_id in text and given.public_id in text
    assert in_moscow.public_id not in text
    assert '<option value="санкт-петербург" selected>St Petersburg</option>' in text
    bad = staff_client(dispatcher).get("/console/", {"city": "атлантида"})
    assert bad.status_code == 400


def test_the_count_of_a_filtered_queue_is_its_own_not_the_open_count(dispatcher, small_pages):
    # The unfiltered queue reuses the open count the heading shows; a filter counts anew.
    for _ in range(3):
        open_case()
    summons = open_case(kind=Kind.SUMMONS)
    assert "Cases 1–2 of 4" in page(dispatcher).content.decode()
    html = page(dispatcher, "?kind=summons").content.decode()
    assert card_ids(html) == [summons.public_id]
    assert "Cases 1–1 of 1" in html


def test_names_on_the_cards_are_escaped_as_text(dispatcher, lawyer_a, stations):
    # Station names come from imported directories and lawyers name themselves: neither may
    # put markup into every dispatcher's console.
    station = PoliceStation.objects.first()
    PoliceStation.objects.filter(pk=station.pk).update(name='ОВД <img src=x onerror="alert(1)">')
    User.objects.filter(pk=lawyer_a.pk).update(first_name="<b>Anna</b>")
    held, taken = open_case(), open_case()
    Case.objects.filter(pk=held.pk).update(police_station=station)
    Case.objects.filter(pk=taken.pk).update(assigned_lawyer=lawyer_a, status="assigned")
    html = page(dispatcher, fragment=True).content.decode()
    assert "<img" not in html and "<b>Anna" not in html
    assert "ОВД &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;b&gt;Anna&lt;/b&gt; Lawyer" in html


def test_the_cards_of_the_poll_are_the_cards_of_the_page(dispatcher, lawyer_a):
    waiting, taken = aged(open_case(), 20), open_case()
    Case.objects.filter(pk=taken.pk).update(assigned_lawyer=lawyer_a, status="assigned")
    Case.objects.filter(pk=waiting.pk).update(origin=Origin.TIMER, is_minor=True)
    full = page(dispatcher).content.decode()
    poll = page(dispatcher, fragment=True).content.decode()

    def cards(html: str) -> list[str]:
        return re.findall(r'<li class="card[^"]*" data-case-id=.*?</li>', html, re.S)

    assert cards(full) == cards(poll) and len(cards(poll)) == 2
    [first, second] = cards(poll)
    assert 'class="card is-minor is-timer"' in first
    assert 'class="choose" name="case"' in first  # a waiting case can be ticked
    assert "check-in timer expired" in first and "minor" in first
    assert 'class="choose"' not in second and "Anna Lawyer" in second
