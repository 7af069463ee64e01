""" "Call me back" in the bot puts the chat's number on the hotline's call-back list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import staff_client
from habeas.callbacks.models import CallBack
from habeas.callbacks.services import number_of
from habeas.cases.models import Case
from habeas.cases.services import purge_due

from .helpers import label, say

pytestmark = pytest.mark.django_db


def report_someone(client, run_tasks, telegram) -> Case:
    say(client, run_tasks, telegram, text=label("someone"))
    say(client, run_tasks, telegram, text="Иван Петров")
    for step in ("unknown", "skip", "unknown", "unknown", "skip"):
        say(client, run_tasks, telegram, text=label(step))
    return Case.objects.get()


def test_a_chat_that_follows_a_case_asks_to_be_called_at_its_shared_number(
    client, telegram, run_tasks, operator
):
    case = report_someone(client, run_tasks, telegram)
    [ask] = say(client, run_tasks, telegram, text=label("callback"))
    assert "request_contact" in str(ask.get("reply_markup"))
    [done] = say(client, run_tasks, telegram, "contact")
    assert case.public_id in done["text"]
    callback = CallBack.objects.get()
    assert callback.case == case and callback.report is None
    assert number_of(callback) == "79165550102"
    assert b"79165550102" not in bytes(callback.sealed_number), "sealed, not in clear"
    html = staff_client(operator).get("/console/callbacks/").content.decode()
    assert "79165550102" in html


def test_a_chat_that_follows_nothing_is_told_so(client, telegram, run_tasks):
    [reply] = say(client, run_tasks, telegram, text=label("callback"))
    assert not CallBack.objects.exists()
    assert reply["text"]


def test_the_number_is_destroyed_with_the_cases_details_at_the_purge(client, telegram, run_tasks):
    case = report_someone(client, run_tasks, telegram)
    say(client, run_tasks, telegram, text=label("callback"))
    say(client, run_tasks, telegram, text="+7 916 555-01-02")
    assert CallBack.objects.get().sealed_number is not None
    purge_due(timezone.now() + timedelta(days=1))
    assert CallBack.objects.get().sealed_number is not None, "an open case is not purged"
    Case.objects.filter(pk=case.pk).update(status="closed", purge_after=timezone.now())
    purge_due(timezone.now() + timedelta(seconds=1))
    assert CallBack.objects.get().sealed_number is None
