"""The case page starts with who, where and the one next step; rarer actions fold away."""

import re
from datetime import date

from conftest import staff_client
from habeas.cases import services as cases
from habeas.cases.models import Case, Origin
from habeas.dispatch import services as dispatch

from .helpers import case_of

BUTTON = re.compile(r'<button type="submit" name="action" value="(\w+)"')


def sections(html: str) -> dict[str, str]:
    """The HTML of the next step, the steps beside it, and the folded "More actions"."""

    def part(pattern: str) -> str:
        found = re.search(pattern, html, re.S)
        return found.group(1) if found else ""

    return {
        "next": part(r'<div class="next-step">(.*?)</div>'),
        "common": part(r'<div class="common">(.*?)\n  </div>'),
        "more": part(r'<details class="more-actions" id="more-actions">(.*?)</details>'),
    }


def page(user, case_id: str) -> str:
    return staff_client(user).get(f"/console/cases/{case_id}/").content.decode()


def steps(user, case_id: str) -> dict[str, list[str]]:
    return {k: BUTTON.findall(v) for k, v in sections(page(user, case_id)).items()}


def test_the_person_then_the_place_then_the_next_step_come_first(lawyer_a, stations, detainee):
    dispatch.act(case_of(detainee), "take", lawyer_a)
    html = page(lawyer_a, detainee.case_id)
    order = [
        html.index('class="person-name">Мария Иванова<'),
        html.index("12.04.1995"),
        html.index('href="tel:+79165550102"'),
        html.index("астма, ингалятор в рюкзаке"),
        html.index('<section class="case-where"'),
        html.index('<span class="station-name">ОВД Тверской</span>'),
        html.index('<div class="next-step">'),
        html.index('<details class="more-actions"'),
        html.index('<section class="reports">'),
    ]
    assert order == sorted(order)
    # One report: its person is said once, at the top.
    assert html.count("Мария Иванова") == 1


def test_the_next_step_follows_the_case_and_the_rare_ones_stay_folded(lawyer_a, stations, detainee):
    case = case_of(detainee)
    dispatch.act(case, "take", lawyer_a)
    shown = steps(lawyer_a, detainee.case_id)
    assert shown["next"] == ["en_route"]
    assert shown["common"] == ["at_station"]
    assert {"protocol", "court_date", "transferred", "close", "note"} <= set(shown["more"])

    dispatch.act(Case.objects.get(pk=case.pk), "en_route", lawyer_a)
    assert steps(lawyer_a, detainee.case_id)["next"] == ["at_station"]

    dispatch.act(Case.objects.get(pk=case.pk), "at_station", lawyer_a)
    at_door = steps(lawyer_a, detainee.case_id)
    # At the door a refusal is as likely as being let in: both in sight, with its reason.
    assert at_door["next"] == ["admitted"]
    assert "refused_entry" in at_door["common"]
    assert "released" in at_door["more"]

    dispatch.act(Case.objects.get(pk=case.pk), "admitted", lawyer_a)
    assert steps(lawyer_a, detainee.case_id)["next"] == ["released"]


def test_every_allowed_action_is_still_on_the_page_once(lawyer_a, stations, detainee):
    case = case_of(detainee)
    dispatch.act(case, "take", lawyer_a)
    shown = BUTTON.findall(page(lawyer_a, detainee.case_id))
    assert sorted(shown) == sorted(cases.allowed_actions(Case.objects.get(pk=case.pk), lawyer_a))


def test_a_dispatchers_next_step_on_an_open_case_is_to_assign_it(dispatcher, detainee):
    assert steps(dispatcher, detainee.case_id)["next"] == ["assign"]


def test_a_duress_sos_shows_the_warning_instead_of_the_phone(lawyer_a, detainee):
    case = case_of(detainee)
    dispatch.act(case, "take", lawyer_a)
    # As timers.services sets it when the timer was answered with the duress PIN.
    Case.objects.filter(pk=case.pk).update(origin=Origin.DURESS)
    html = page(lawyer_a, detainee.case_id)
    who = re.search(r'<section class="case-who".*?</section>', html, re.S).group(0)
    assert "duress-warning" in who
    assert "tel:" not in html and "555-01-02" not in html
    assert "origin-duress" in html


def test_a_bare_sos_takes_the_name_a_relative_gave(lawyer_a, dispatcher, phone, stations):
    assert phone.sos({"kind": "detention"}).status_code == 201
    case = case_of(phone)
    relative = cases.Intake(
        person=cases.Person(full_name="Ольга Смирнова", date_of_birth=date(2001, 3, 3)),
        reporter_role="relative",
        reporter=cases.Reporter(name="Мама", phone="+7 900 111-22-33"),
    )
    other = dispatch.receive_sos(relative, idempotency_key="first-screen-relative-1").case
    dispatch.merge(case, other, dispatcher)
    dispatch.act(Case.objects.get(pk=case.pk), "take", lawyer_a)
    html = page(lawyer_a, case.public_id)
    who = re.search(r'<section class="case-who".*?</section>', html, re.S).group(0)
    assert "Ольга Смирнова" in who and "03.03.2001" in who
