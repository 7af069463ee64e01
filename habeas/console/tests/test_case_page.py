import re

from conftest import staff_client
from habeas.cases import services
from habeas.stations.models import PoliceStation

from .helpers import act, case_of, open_case


def test_the_case_page_shows_the_opened_name_phone_and_nearest_station(
    lawyer_a, detainee, stations
):
    services.transition(case_of(detainee).pk, "take", actor=lawyer_a)
    html = staff_client(lawyer_a).get(f"/console/cases/{detainee.case_id}/").content.decode()
    assert "Мария Иванова" in html
    assert 'href="tel:+79165550102"' in html
    assert "астма, ингалятор в рюкзаке" in html
    assert "55.764900, 37.611600" in html
    nearby = re.search(r'<ol class="nearby">(.*?)</ol>', html, re.S).group(1)
    assert nearby.index("ОВД Тверской") < nearby.index("ОВД Мещанский")
    assert 'id="case-status"' in html


def test_an_unknown_case_is_404(lawyer_a, db):
    assert staff_client(lawyer_a).get("/console/cases/NOSUCHCASE/").status_code == 404


def test_the_page_offers_only_the_actions_the_user_may_take(lawyer_a, lawyer_b, detainee):
    services.transition(case_of(detainee).pk, "take", actor=lawyer_a)
    case = case_of(detainee)
    buttons = re.compile(r'<button type="submit" name="action" value="(\w+)"')
    for user in (lawyer_a, lawyer_b):
        html = staff_client(user).get(f"/console/cases/{detainee.case_id}/").content.decode()
        shown = buttons.findall(html)
        assert sorted(shown) == sorted(services.allowed_actions(case, user))
        assert "withdraw" not in shown and "take" not in shown
    theirs = buttons.findall(
        staff_client(lawyer_b).get(f"/console/cases/{detainee.case_id}/").content.decode()
    )
    # What the family reads as fact is for the lawyer on the case (or a dispatcher) only.
    assert {"en_route", "at_station", "close", "held_at", "released", "transferred"}.isdisjoint(
        theirs
    )
    assert {"note"} <= set(theirs)


def test_the_station_choice_lists_the_nearest_first_then_the_rest_by_name(
    dispatcher, detainee, stations
):
    html = staff_client(dispatcher).get(f"/console/cases/{detainee.case_id}/").content.decode()
    select = re.search(r'<select name="station".*?</select>', html, re.S).group(0)
    ids = re.findall(r'<option value="(\d+)"', select)
    nearest_first = PoliceStation.objects.get(name="ОВД Тверской").pk
    assert ids[0] == str(nearest_first)
    assert len(ids) == PoliceStation.objects.count()
    rest = [PoliceStation.objects.get(pk=i).name for i in ids[3:]]
    assert rest == sorted(rest)


def test_station_names_and_addresses_in_the_choice_are_escaped(dispatcher, detainee, stations):
    PoliceStation.objects.create(
        name='ОВД "<b>Новый</b>"', address="ул. <i>Тверская</i> & Ко", lat=10.0, lon=10.0
    )
    html = staff_client(dispatcher).get(f"/console/cases/{detainee.case_id}/").content.decode()
    select = re.search(r'<select name="station".*?</select>', html, re.S).group(0)
    assert (
        "ОВД &quot;&lt;b&gt;Новый&lt;/b&gt;&quot; — ул. &lt;i&gt;Тверская&lt;/i&gt; &amp; Ко"
        in select
    )
    assert "<b>" not in select and "<i>" not in select


def test_the_timeline_shows_each_step_with_its_author_and_opened_note(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    act(client, detainee.case_id, "take")
    act(client, detainee.case_id, "note", note="Мама едет в ОВД")
    timeline = client.get(f"/console/cases/{detainee.case_id}/").content.decode()
    events = re.search(r'<ol id="timeline">(.*?)</ol>', timeline, re.S).group(1)
    assert re.findall(r'data-event="(\w+)"', events) == ["reported", "accepted", "note"]
    assert "Anna Lawyer" in events
    assert "Мама едет в ОВД" in events


def test_the_live_part_answers_304_until_the_case_changes(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    url = f"/console/cases/{detainee.case_id}/live/"
    first = client.get(url)
    assert first.status_code == 200
    assert 'id="case-status"' in first.content.decode()
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304

    act(client, detainee.case_id, "take")
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert 'data-status="assigned"' in changed.content.decode()


def test_the_live_part_does_not_swallow_the_flash_message(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    act(client, detainee.case_id, "take")
    client.get(f"/console/cases/{detainee.case_id}/live/")
    page = client.get(f"/console/cases/{detainee.case_id}/").content.decode()
    assert 'class="message success"' in page


def test_a_case_with_no_location_still_opens(dispatcher, stations):
    case = open_case()
    html = staff_client(dispatcher).get(f"/console/cases/{case.public_id}/").content.decode()
    assert "Иван Петров" in html
    assert 'class="nearby"' not in html
