"""/start <watch token> (the deep link on a contact's status page) subscribes a chat to the
case; "My cases" lists what the chat reported or follows; each later step reaches the chat."""

import pytest

from conftest import DETAINEE_BODY
from habeas.cases.models import Case
from habeas.cases.services import watch_token_for
from habeas.dispatch import services as dispatch

from .helpers import label, say

pytestmark = pytest.mark.django_db
KEY = "app-key-with-contacts-0001"


@pytest.fixture
def case(phone):
    assert phone.sos(DETAINEE_BODY, key=KEY).status_code == 201
    return Case.objects.get()


def test_the_deep_link_subscribes_the_chat_and_each_step_reaches_it(
    client, telegram, run_tasks, case, dispatcher, lawyer_a, tverskoy
):
    [joined] = say(client, run_tasks, telegram, text=f"/start {watch_token_for(KEY)}")
    assert case.public_id in joined["text"]
    dispatch.act(case, "assign", dispatcher, lawyer=lawyer_a)
    dispatch.act(case, "held_at", lawyer_a, station=tverskoy)
    dispatch.act(case, "released", lawyer_a)
    run_tasks()
    steps = [m["text"] for m in telegram.sent[1:]]
    assert len(steps) == 2
    assert "ОВД Тверской" in steps[0]
    assert all(case.public_id in s and "Habeas" in s for s in steps)


def test_a_wrong_token_subscribes_nothing(client, telegram, run_tasks, case):
    say(client, run_tasks, telegram, text="/start " + "x" * 22)
    [mine] = say(client, run_tasks, telegram, text=label("cases"))
    assert case.public_id not in mine["text"]


def test_my_cases_lists_reported_and_followed_cases_and_no_one_elses(
    client, telegram, run_tasks, case
):
    say(client, run_tasks, telegram, text=f"/start {watch_token_for(KEY)}")
    say(client, run_tasks, telegram, "location")
    say(client, run_tasks, telegram, text=label("send"))
    mine = Case.objects.exclude(pk=case.pk).get()
    [listed] = say(client, run_tasks, telegram, text=label("cases"))
    assert case.public_id in listed["text"] and mine.public_id in listed["text"]
    [other] = say(client, run_tasks, telegram, text=label("cases"), chat=515151)
    assert case.public_id not in other["text"] and mine.public_id not in other["text"]


def test_a_relative_gets_a_deep_link_that_subscribes_whoever_opens_it(
    client, telegram, run_tasks, settings
):
    settings.HABEAS_TELEGRAM_BOT_NAME = "habeas_bot"
    say(client, run_tasks, telegram, text=label("someone"))
    say(client, run_tasks, telegram, text="Иван Петров")
    for step in ("unknown", "skip", "unknown", "unknown"):
        say(client, run_tasks, telegram, text=label(step))
    [done] = say(client, run_tasks, telegram, text=label("skip"))
    link = next(w for w in done["text"].split() if w.startswith("https://t.me/habeas_bot?start="))
    case = Case.objects.get()
    [joined] = say(client, run_tasks, telegram, text="/start " + link.split("=")[1], chat=9090)
    assert case.public_id in joined["text"]
