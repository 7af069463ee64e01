"""The court stage on the console: the lawyer on the case records the hearing and the
decision, and sees the appeal deadline; others cannot; bad input says what is wrong."""

from datetime import timedelta

from django.utils import timezone

from conftest import staff_client
from habeas.cases import services as cases
from habeas.court.models import Decision, Hearing

from .helpers import open_case

EN = {"Accept-Language": "en"}


def taken_by(lawyer):
    case = open_case()
    cases.transition(case.pk, "take", actor=lawyer)
    return case


def hearing_form(**extra) -> dict:
    when = timezone.localtime() + timedelta(days=2)
    return {
        "starts_at": when.strftime("%Y-%m-%dT11:00"),
        "court": "Тверской районный суд",
        "address": "Цветной бульвар, 25А",
        "judge": "Иванова А. А.",
        "article": "ч. 5 ст. 20.2",
    } | extra


def test_the_lawyer_records_a_hearing_and_its_decision_and_sees_the_deadline(lawyer_a):
    case = taken_by(lawyer_a)
    browser = staff_client(lawyer_a, headers=EN)
    done = browser.post(f"/console/cases/{case.public_id}/hearings/", hearing_form(), follow=True)
    text = done.content.decode()
    assert "The hearing is recorded" in text
    assert "Тверской районный суд" in text and "20.2 ч. 5" in text
    hearing = Hearing.objects.get()
    Hearing.objects.filter(pk=hearing.pk).update(starts_at=timezone.now() - timedelta(days=1))
    decided = browser.post(
        f"/console/hearings/{hearing.pk}/decision/",
        {"outcome": "fine", "fine_rub": "10000", "copy_received_on": timezone.localdate()},
        follow=True,
    )
    decision = Decision.objects.get()
    assert "The decision is recorded. Appeal by" in decided.content.decode()
    assert 'class="appeal-deadline"' in decided.content.decode()
    listed = browser.get("/console/court/").content.decode()
    assert case.public_id in listed
    assert decision.get_outcome_display() in listed


def test_bad_input_is_said_in_russian_and_nothing_is_kept(lawyer_a):
    case = taken_by(lawyer_a)
    browser = staff_client(lawyer_a, headers={"Accept-Language": "ru"})
    done = browser.post(
        f"/console/cases/{case.public_id}/hearings/",
        hearing_form(court="", article="хулиганство"),
        follow=True,
    )
    assert "Укажите статью так: 20.2 ч. 5" in done.content.decode()
    assert not Hearing.objects.exists()
    bad_time = browser.post(
        f"/console/cases/{case.public_id}/hearings/", hearing_form(starts_at="завтра"), follow=True
    )
    assert bad_time.status_code == 200
    assert not Hearing.objects.exists()


def test_another_lawyer_cannot_record_a_hearing_on_a_case_not_theirs(lawyer_a, lawyer_b):
    case = taken_by(lawyer_a)
    refused = staff_client(lawyer_b).post(
        f"/console/cases/{case.public_id}/hearings/", hearing_form()
    )
    assert refused.status_code == 403
    assert not Hearing.objects.exists()
