"""When several people report one person, none of them can stop the help or erase the others.

Merging gave every reporter's status link the same case: a relative's "false alarm" closed the
detainee's case, and a witness's "delete my details" destroyed everyone's.
"""

import json

from conftest import DETAINEE_BODY, Phone
from habeas.cases.models import Case, Report
from habeas.cases.services import open_details

RELATIVE = {
    "reporter_role": "relative",
    "person": {"full_name": "Мария Иванова", "date_of_birth": "1995-04-12"},
    "reporter": {"name": "Ольга", "phone": "+7 916 555-01-09", "relation": "мама"},
}


def relative_reports(db) -> Phone:
    mother = Phone()
    response = mother.sos(RELATIVE)
    assert response.status_code == 201 and response.json()["merged"] is True
    return mother


def test_a_relative_cannot_close_a_case_the_person_reported_too(detainee):
    mother = relative_reports(detainee)
    refused = mother.withdraw()
    assert refused.status_code == 409
    assert refused.json()["errors"] == [] and refused.json()["detail"]
    assert not Case.objects.get().is_closed


def test_a_relative_who_alone_reported_can_call_it_off(db):
    mother = Phone()
    assert mother.sos(RELATIVE).status_code == 201
    assert mother.withdraw().status_code == 200
    assert Case.objects.get().is_closed


def test_the_person_themselves_can_still_withdraw(detainee):
    relative_reports(detainee)
    assert detainee.withdraw().status_code == 200
    assert Case.objects.get().is_closed


def test_a_relatives_forget_destroys_only_their_own_report(detainee):
    mother = relative_reports(detainee)
    response = mother.client.post("/api/v1/cases/forget", headers=mother.auth())
    assert response.status_code == 200
    own = Report.objects.get(reporter_role="self")
    theirs = Report.objects.get(reporter_role="relative")
    assert theirs.sealed is None
    assert open_details(own)["person"]["full_name"] == DETAINEE_BODY["person"]["full_name"]


def test_the_persons_own_forget_destroys_every_report_about_them(detainee):
    relative_reports(detainee)
    response = detainee.client.post("/api/v1/cases/forget", headers=detainee.auth())
    assert response.status_code == 200
    assert list(Report.objects.values_list("sealed", flat=True)) == [None, None]
    assert json.loads(response.content)["closed"] is False, "the lawyer still goes"


def test_the_contacts_named_in_a_report_that_joins_a_case_are_told_too(db, settings):
    settings.DEBUG = True  # the demo channel stands in for providers
    from habeas.notifications.models import Message

    own = Phone()
    sent = own.sos({**DETAINEE_BODY, "contacts": [{"email": "sister@example.org"}]})
    assert sent.status_code == 201
    friend = Phone()
    body = {**RELATIVE, "contacts": [{"email": "brother@example.org"}]}
    assert friend.sos(body).json()["merged"] is True
    case = Case.objects.get()
    told = Message.objects.filter(dedupe_key__startswith=f"contact:{case.pk}:link:")
    assert told.count() == 2, "the second report's contact is not the first's"
