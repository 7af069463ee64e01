"""A lawyer sees a person's details only while the case is offered or assigned to them, and
every look at personal data, and every change, lands in the audit log (ids only)."""

from datetime import timedelta

from conftest import staff_client
from habeas.accounts.models import AuditEntry
from habeas.dispatch import services as dispatch

from .helpers import act, case_of

NAME = "Мария Иванова"
EN = {"Accept-Language": "en"}


def page(user, case_id: str) -> str:
    return staff_client(user).get(f"/console/cases/{case_id}/", headers=EN).content.decode()


def views_by(user) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(actor=user, action="view").order_by("id")
    return [(e.case_ref, e.what) for e in entries]


def test_a_lawyer_not_on_the_case_sees_the_envelope_and_why_not_the_person(
    lawyer_a, detainee, stations
):
    html = page(lawyer_a, detainee.case_id)
    assert NAME not in html
    assert "555-01-02" not in html and "астма" not in html and "55.764900" not in html
    assert "a lawyer sees them only while the case is offered or assigned to them" in html
    assert 'id="case-status"' in html
    assert views_by(lawyer_a) == []


def test_the_offered_lawyer_sees_the_person_and_the_look_is_audited(lawyer_a, lawyer_b, detainee):
    offer = dispatch.offer_next(case_of(detainee).pk)
    other = lawyer_b if offer.lawyer == lawyer_a else lawyer_a
    assert NAME in page(offer.lawyer, detainee.case_id)
    assert views_by(offer.lawyer) == [(detainee.case_id, "case page")]
    assert NAME not in page(other, detainee.case_id)


def test_a_lawyer_who_declined_the_offer_no_longer_sees_the_person(lawyer_a, detainee):
    offer = dispatch.offer_next(case_of(detainee).pk)
    assert offer.lawyer == lawyer_a and NAME in page(lawyer_a, detainee.case_id)
    dispatch.decline(offer.pk, lawyer_a)
    assert NAME not in page(lawyer_a, detainee.case_id)


def test_the_lawyer_a_dispatcher_assigns_sees_the_person(lawyer_a, lawyer_b, dispatcher, detainee):
    act(staff_client(dispatcher), detainee.case_id, "assign", lawyer=str(lawyer_b.pk))
    assert case_of(detainee).assigned_lawyer == lawyer_b
    assert NAME in page(lawyer_b, detainee.case_id)
    assert NAME not in page(lawyer_a, detainee.case_id)


def test_staff_notes_are_hidden_from_a_lawyer_not_on_the_case(lawyer_a, dispatcher, detainee):
    act(staff_client(dispatcher), detainee.case_id, "note", note="брат ждёт у ОВД")
    assert "брат ждёт у ОВД" in page(dispatcher, detainee.case_id)
    assert "брат ждёт у ОВД" not in page(lawyer_a, detainee.case_id)


def test_dispatchers_and_admins_see_every_case_and_each_look_is_audited(
    dispatcher, admin, detainee
):
    for user in (dispatcher, admin):
        assert NAME in page(user, detainee.case_id)
        assert views_by(user) == [(detainee.case_id, "case page")]


def test_the_live_refresh_is_audited_at_most_once_in_five_minutes(dispatcher, detainee):
    client = staff_client(dispatcher)
    live = f"/console/cases/{detainee.case_id}/live/"
    assert NAME in client.get(live).content.decode()
    client.get(live)
    assert views_by(dispatcher) == [(detainee.case_id, "case page (live)")]
    earlier = AuditEntry.objects.get(action="view").at - timedelta(minutes=6)
    AuditEntry.objects.filter(action="view").update(at=earlier)
    client.get(live)
    assert len(views_by(dispatcher)) == 2


def test_every_action_is_audited_by_its_name_only(lawyer_a, dispatcher, detainee):
    client = staff_client(lawyer_a)
    act(client, detainee.case_id, "take")
    act(client, detainee.case_id, "note", note="Мария Иванова в ОВД")
    changes = AuditEntry.objects.filter(action="change").order_by("id")
    assert [(e.actor, e.case_ref, e.what) for e in changes] == [
        (lawyer_a, detainee.case_id, "take"),
        (lawyer_a, detainee.case_id, "note"),
    ]


def test_answering_an_offer_is_audited(lawyer_a, lawyer_b, detainee):
    offer = dispatch.offer_next(case_of(detainee).pk)
    staff_client(offer.lawyer).post(f"/console/offers/{offer.pk}/answer/", {"answer": "accept"})
    entry = AuditEntry.objects.get(action="change")
    assert (entry.actor, entry.case_ref, entry.what) == (
        offer.lawyer,
        detainee.case_id,
        "accept offer",
    )


def test_the_audit_log_holds_no_personal_data(lawyer_a, dispatcher, detainee):
    client = staff_client(dispatcher)
    client.get(f"/console/cases/{detainee.case_id}/")
    act(client, detainee.case_id, "note", note="Мария Иванова, +7 916 555-01-02")
    entries = list(AuditEntry.objects.all())
    # Auditing must have happened, or the loop below would pass on an empty table.
    rows = {(e.actor, e.action, e.case_ref, e.what) for e in entries}
    assert (dispatcher, "view", detainee.case_id, "case page") in rows
    assert (dispatcher, "change", detainee.case_id, "note") in rows
    for entry in entries:
        # The case's random public id may hold "555": it is compared, the rest searched.
        assert entry.case_ref in ("", detainee.case_id)
        text = f"{entry.case_ref} {entry.what} {entry}".replace(entry.case_ref or "\0", "")
        assert "Мария" not in text and "555" not in text and "127.0.0.1" not in text


def test_admins_read_the_audit_log_in_the_django_admin(admin, dispatcher, detainee):
    page(dispatcher, detainee.case_id)
    html = staff_client(admin).get("/admin/accounts/auditentry/").content.decode()
    assert detainee.case_id in html
    assert staff_client(admin, verified=False).get("/admin/accounts/auditentry/").status_code == 302
