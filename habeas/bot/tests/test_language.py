"""The bot speaks the person's language: Russian, or English from Telegram's language_code,
and /lang or its buttons switch it. The case status comes from the translated catalogue."""

import pytest
from django.utils import translation

from habeas.bot import dialogue
from habeas.cases.status import stage_message

from .helpers import label, post, say, update

pytestmark = pytest.mark.django_db


def status_reply(client, run_tasks, telegram, **kwargs) -> str:
    say(client, run_tasks, telegram, "location", **kwargs)
    say(client, run_tasks, telegram, text=label("send"), **kwargs)
    [cases] = say(client, run_tasks, telegram, text=label("cases"), **kwargs)
    return cases["text"]


def test_a_russian_user_reads_the_status_in_russian(client, telegram, run_tasks):
    with translation.override("ru"):
        expected = stage_message("received")
    assert expected in status_reply(client, run_tasks, telegram)
    with translation.override("en"):
        assert expected != stage_message("received"), "the catalogue translates it"


def test_an_english_language_code_gets_english(client, telegram, run_tasks):
    data = update("text_start")
    data["message"]["from"]["language_code"] = "en"
    assert dialogue.language_of(dialogue.Update.de_json(data), {}) == "en"
    data["message"]["from"]["language_code"] = "uk"
    assert dialogue.language_of(dialogue.Update.de_json(data), {}) == "ru"


def test_the_language_button_switches_the_status_to_english(client, telegram, run_tasks):
    assert post(client, update("callback_query")).status_code == 200
    run_tasks()
    with translation.override("en"):
        expected = stage_message("received")
    assert expected in status_reply(client, run_tasks, telegram)


def test_lang_ru_switches_back(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text="/lang en")
    say(client, run_tasks, telegram, text="/lang ru")
    with translation.override("ru"):
        expected = stage_message("received")
    assert expected in status_reply(client, run_tasks, telegram)
