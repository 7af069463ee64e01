"""The obstruction record: the lawyer's demand to enter, each refusal and why, and when they
were let in — a page to print and a JSON file for a complaint, for the case's own people."""

import json

from conftest import staff_client
from habeas.accounts.models import AuditEntry

from .helpers import act

EN = {"Accept-Language": "en"}


def kept_out_then_let_in(client, case_id):
    act(client, case_id, "take")
    act(client, case_id, "en_route")
    act(client, case_id, "at_station")
    act(client, case_id, "refused_entry", reason="fortress", note="капитан Петров, жетон 123")
    act(client, case_id, "admitted")


def test_the_lawyer_sees_refusals_and_the_wait_and_exports_them(lawyer_a, detainee, stations):
    client = staff_client(lawyer_a, headers=EN)
    kept_out_then_let_in(client, detainee.case_id)
    page = client.get(f"/console/cases/{detainee.case_id}/obstruction/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "“Fortress” plan declared" in text and "капитан Петров, жетон 123" in text
    assert "Kept waiting" in text
    exported = client.get(f"/console/cases/{detainee.case_id}/obstruction.json")
    body = json.loads(exported.content)
    [visit] = body["visits"]
    assert visit["refusals"][0]["reason_code"] == "fortress"
    assert visit["arrived_at"] and visit["admitted_at"] and visit["waited_minutes"] == 0
    assert "attachment" in exported["Content-Disposition"]
    assert AuditEntry.objects.filter(actor=lawyer_a, what="obstruction record exported").exists()


def test_another_lawyer_sees_nothing_of_it(lawyer_a, lawyer_b, detainee, stations):
    kept_out_then_let_in(staff_client(lawyer_a), detainee.case_id)
    other = staff_client(lawyer_b)
    assert other.get(f"/console/cases/{detainee.case_id}/obstruction/").status_code == 403
    assert other.get(f"/console/cases/{detainee.case_id}/obstruction.json").status_code == 403
    assert other.get("/console/cases/NOSUCHCASE/obstruction/").status_code == 404
