""" "I am detained": location, then (optionally) name and date of birth, then the SOS, sent
through dispatch like every other way in; the person hears the case's status in the chat."""

import json
from datetime import date

import pytest

from habeas.bot.models import Conversation
from habeas.cases.models import Case, Report
from habeas.cases.services import case_for_watch_token, open_details
from habeas.dispatch.models import Offer

from .helpers import label, post, say, update

pytestmark = pytest.mark.django_db


def keyboard(reply) -> list[dict]:
    return [b for row in json.loads(reply["reply_markup"])["keyboard"] for b in row]


def test_the_whole_dialogue_sends_one_sos_with_location_name_and_date_of_birth(
    client, telegram, run_tasks, lawyer_nearby
):
    [ask] = say(client, run_tasks, telegram, text=label("detained"))
    assert any(b.get("request_location") for b in keyboard(ask))
    say(client, run_tasks, telegram, "location")
    say(client, run_tasks, telegram, text="Мария Иванова")
    [done] = say(client, run_tasks, telegram, text="12.04.1995")

    case = Case.objects.get()
    report = Report.objects.get()
    assert (report.channel, report.reporter_role) == ("telegram", "self")
    details = open_details(report)
    assert details["person"]["full_name"] == "Мария Иванова"
    assert details["person"]["date_of_birth"] == "1995-04-12"
    assert details["location"]["lat"] == pytest.approx(55.764912)
    assert case.public_id in done["text"]
    link = next(w for w in done["text"].split() if w.startswith("http"))
    assert case_for_watch_token(link.rstrip("/").rsplit("/", 1)[-1]) == case
    assert Offer.objects.filter(case=case).exists(), "dispatched like any SOS"


def test_send_now_right_after_the_location_does_not_wait_for_a_name(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text=label("detained"))
    say(client, run_tasks, telegram, "location")
    say(client, run_tasks, telegram, text=label("send"))
    details = open_details(Report.objects.get())
    assert details["person"]["full_name"] == ""
    assert details["location"] is not None


def test_a_location_sent_without_pressing_anything_starts_the_sos(client, telegram, run_tasks):
    say(client, run_tasks, telegram, "location")
    say(client, run_tasks, telegram, text=label("send"))
    assert Case.objects.count() == 1


def test_telegram_resending_the_last_update_makes_one_case(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text=label("detained"))
    say(client, run_tasks, telegram, text=label("skip"))
    last = update("text_start", text=label("send"))
    assert post(client, last).status_code == 200
    assert post(client, last).status_code == 200
    run_tasks()
    assert Case.objects.count() == 1


def test_a_date_that_is_not_one_is_asked_again_and_nothing_is_sent(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text=label("detained"))
    say(client, run_tasks, telegram, text=label("skip"))
    say(client, run_tasks, telegram, text="Мария")
    for wrong in ("31.02.1995", "01.01.2999", "вчера"):
        [again] = say(client, run_tasks, telegram, text=wrong)
        assert "12.04.1995" in again["text"]
    assert not Case.objects.exists()
    say(client, run_tasks, telegram, text=date(1995, 4, 12).strftime("%d.%m.%Y"))
    assert Case.objects.count() == 1


def test_cancel_forgets_what_was_typed(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text=label("detained"))
    say(client, run_tasks, telegram, text=label("skip"))
    say(client, run_tasks, telegram, text="Мария Иванова")
    say(client, run_tasks, telegram, text=label("cancel"))
    say(client, run_tasks, telegram, text="12.04.1995")
    assert not Case.objects.exists()
    assert b"\xd0\x9c\xd0\xb0\xd1\x80" not in bytes(Conversation.objects.get().sealed)


def test_without_a_location_the_bot_asks_for_the_city_and_the_case_has_it(
    client, telegram, run_tasks
):
    say(client, run_tasks, telegram, text=label("detained"))
    [ask] = say(client, run_tasks, telegram, text=label("skip"))
    assert "городе" in ask["text"]
    [again] = say(client, run_tasks, telegram, text="1234")
    assert "города" in again["text"], "a city name only, asked again"
    say(client, run_tasks, telegram, text="Казань")
    say(client, run_tasks, telegram, text=label("send"))
    assert Case.objects.get().city == "казань"
