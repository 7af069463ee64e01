"""Withdrawing an SOS a lawyer has taken tells that lawyer at once, and the console marks it."""

import pytest

from conftest import staff_client
from habeas.cases.models import Case, EventKind
from habeas.dispatch import services as dispatch
from habeas.lawyers.models import Lawyer
from habeas.lib.sealing import open_sealed
from habeas.notifications.models import Message


def text(message: Message) -> dict:
    return open_sealed(message.sealed, "outbox")


@pytest.fixture(autouse=True)
def demo_channels(settings):
    settings.DEBUG = True  # every channel has somewhere to go (the demo file)


def the_case(phone) -> Case:
    return Case.objects.get(public_id=phone.case_id)


def withdrawal_messages(case: Case):
    return Message.objects.filter(dedupe_key__startswith=f"withdrawn:{case.pk}:")


def test_a_lawyer_on_the_way_is_told_at_once_in_their_language(detainee, lawyer_a):
    Lawyer.objects.filter(user=lawyer_a).update(
        languages="en", channels="email,telegram", telegram_chat_id="5550001"
    )
    dispatch.act(the_case(detainee), "take", lawyer_a)
    dispatch.act(the_case(detainee), "en_route", lawyer_a)

    assert detainee.withdraw().status_code == 200
    case = the_case(detainee)
    sent = withdrawal_messages(case)
    assert {m.channel for m in sent} == {"email", "telegram"}
    assert {m.recipient for m in sent} == {lawyer_a}
    email = text(sent.get(channel="email"))
    assert email["subject"] == f"Case {case.public_id} withdrawn"
    assert "false alarm" in email["body"]
    assert f"/console/cases/{case.public_id}/" in email["body"]


def test_a_russian_speaking_lawyer_is_told_in_russian(detainee, lawyer_a):
    dispatch.act(the_case(detainee), "take", lawyer_a)
    detainee.withdraw()
    email = text(withdrawal_messages(the_case(detainee)).get())
    assert "отозвал" in (email["subject"] + email["body"]).lower()


def test_the_console_timeline_marks_a_withdrawal_after_the_lawyer_set_out(
    detainee, lawyer_a, dispatcher
):
    dispatch.act(the_case(detainee), "take", lawyer_a)
    dispatch.act(the_case(detainee), "en_route", lawyer_a)
    detainee.withdraw()
    event = the_case(detainee).events.get(kind=EventKind.WITHDRAWN)
    assert event.data == {"lawyer": lawyer_a.pk, "lawyer_stage": "en_route"}

    page = staff_client(dispatcher).get(
        f"/console/cases/{detainee.case_id}/", headers={"Accept-Language": "en"}
    )
    assert page.status_code == 200
    assert "after Anna Lawyer set out; told at once" in page.content.decode()


def test_a_withdrawal_before_any_lawyer_took_the_case_tells_no_lawyer(detainee, lawyer_a):
    assert detainee.withdraw().status_code == 200
    case = the_case(detainee)
    assert not withdrawal_messages(case).exists()
    assert case.events.get(kind=EventKind.WITHDRAWN).data == {}
