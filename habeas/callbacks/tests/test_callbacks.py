"""Someone who cannot call out asks to be called back; the hotline works the list."""

from conftest import DETAINEE_BODY, staff_client
from habeas.accounts.models import AuditEntry
from habeas.callbacks.models import CallBack, State


def ask(phone):
    return phone.client.post("/api/v1/cases/callback", headers=phone.auth())


def test_the_person_asks_once_and_sees_that_a_call_is_coming(detainee):
    assert ask(detainee).json() == {"state": "waiting"}
    assert ask(detainee).json() == {"state": "waiting"}
    assert CallBack.objects.count() == 1
    state = detainee.client.get("/api/v1/cases/callback", headers=detainee.auth())
    assert state.json() == {"state": "waiting"}


def test_nobody_without_the_status_link_can_ask(phone, db):
    response = phone.client.post("/api/v1/cases/callback", headers={"Authorization": "Bearer x"})
    assert response.status_code == 401
    assert not CallBack.objects.exists()


def test_the_operator_sees_the_number_to_call_and_the_look_is_audited(detainee, operator):
    ask(detainee)
    html = staff_client(operator).get("/console/callbacks/").content.decode()
    assert DETAINEE_BODY["person"]["phone"] in html
    assert AuditEntry.objects.filter(actor=operator, action="view").exists()


def test_a_call_that_went_through_leaves_the_list_and_is_audited(detainee, operator):
    ask(detainee)
    callback = CallBack.objects.get()
    client = staff_client(operator)
    client.post("/console/callbacks/record/", {"callback": callback.pk, "outcome": "done"})
    callback.refresh_from_db()
    assert callback.state == State.DONE and callback.handled_by == operator
    assert (
        DETAINEE_BODY["person"]["phone"] not in client.get("/console/callbacks/").content.decode()
    )
    assert AuditEntry.objects.filter(actor=operator, what="call-back: done").exists()
    # Asking again after the call opens a new request.
    assert ask(detainee).json() == {"state": "waiting"}
    assert CallBack.objects.count() == 2


def test_try_later_puts_the_call_back_in_the_list_a_quarter_of_an_hour_on(detainee, dispatcher):
    ask(detainee)
    callback = CallBack.objects.get()
    before = callback.try_after
    staff_client(dispatcher).post(
        "/console/callbacks/record/", {"callback": callback.pk, "outcome": "later"}
    )
    callback.refresh_from_db()
    assert callback.state == State.LATER
    assert (callback.try_after - before).total_seconds() >= 15 * 60 - 5
    assert list(CallBack.objects.to_call()) == [callback]


def test_a_lawyer_cannot_open_the_call_back_list(detainee, lawyer_a):
    ask(detainee)
    assert staff_client(lawyer_a).get("/console/callbacks/").status_code == 403
    assert (
        staff_client(lawyer_a)
        .post(
            "/console/callbacks/record/", {"callback": CallBack.objects.get().pk, "outcome": "done"}
        )
        .status_code
        == 403
    )
    assert CallBack.objects.get().state == State.WAITING


def test_a_made_up_outcome_or_callback_changes_nothing(detainee, operator):
    ask(detainee)
    client = staff_client(operator)
    callback = CallBack.objects.get()
    client.post("/console/callbacks/record/", {"callback": callback.pk, "outcome": "burn"})
    client.post("/console/callbacks/record/", {"callback": "99999", "outcome": "done"})
    client.post("/console/callbacks/record/", {"callback": "x'; drop", "outcome": "done"})
    callback.refresh_from_db()
    assert callback.state == State.WAITING and callback.attempts == 0
