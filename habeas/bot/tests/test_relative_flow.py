""" "Someone was detained": a relative reports the person, leaves the chat (and a phone) for
updates, and the report is sealed with them as its reporter."""

import pytest

from habeas.cases.models import Case, Report
from habeas.cases.services import open_details

from .helpers import label, say

pytestmark = pytest.mark.django_db


def test_a_relative_reports_someone_with_their_shared_phone_for_updates(
    client, telegram, run_tasks
):
    say(client, run_tasks, telegram, text=label("someone"))
    say(client, run_tasks, telegram, text="Иван Петров")
    say(client, run_tasks, telegram, text="03.07.2001")
    say(client, run_tasks, telegram, text="у метро Пушкинская, около 14:00")
    say(client, run_tasks, telegram, text="Москва")
    say(client, run_tasks, telegram, text="ОВД Тверской")
    [done] = say(client, run_tasks, telegram, "contact")

    report = Report.objects.get()
    assert (report.channel, report.reporter_role) == ("telegram", "relative")
    details = open_details(report)
    assert details["person"]["full_name"] == "Иван Петров"
    assert details["person"]["date_of_birth"] == "2001-07-03"
    assert "Пушкинская" in details["person"]["note"]
    assert "ОВД Тверской" in details["person"]["note"]
    assert details["reporter"]["telegram"] == "424242"
    assert details["reporter"]["phone"] == "79165550102"
    assert Case.objects.get().public_id in done["text"]


def test_a_relative_who_knows_only_the_name_can_still_report(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text=label("someone"))
    say(client, run_tasks, telegram, text="Иван Петров")
    for step in ("unknown", "skip", "unknown", "unknown", "skip"):
        say(client, run_tasks, telegram, text=label(step))
    details = open_details(Report.objects.get())
    assert details["person"]["date_of_birth"] is None
    assert details["reporter"]["phone"] == ""


def test_a_typed_phone_that_is_not_one_is_asked_again(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text=label("someone"))
    say(client, run_tasks, telegram, text="Иван Петров")
    for step in ("unknown", "skip", "unknown"):
        say(client, run_tasks, telegram, text=label(step))
    say(client, run_tasks, telegram, text="call me maybe")
    assert not Case.objects.exists()
    say(client, run_tasks, telegram, text="+7 916 555-01-02")
    assert open_details(Report.objects.get())["reporter"]["phone"] == "+7 916 555-01-02"
