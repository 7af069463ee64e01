"""/metrics: Prometheus figures for a local scraper or a verified dispatcher, counted from the
database, with no personal data, address or case id in any metric or label."""

import json

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import DETAINEE_BODY, staff_client
from habeas.cases.models import Case
from habeas.notifications.models import ChannelName, Message, State
from habeas.ops import beats

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}


def scrape(client, **extra) -> str:
    response = client.get("/metrics", **{**LOCAL, **extra})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def samples(text: str) -> dict:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_a_local_scraper_reads_the_metrics(stranger, db):
    text = scrape(stranger)
    assert "habeas_workers_alive 0.0" in text
    assert "habeas_task_backlog" in text


def test_a_request_forwarded_by_the_proxy_is_not_local(stranger, db):
    response = stranger.get("/metrics", HTTP_X_FORWARDED_FOR="198.51.100.4", **LOCAL)
    assert response.status_code == 403


def test_a_remote_visitor_is_refused(stranger, db):
    assert stranger.get("/metrics", REMOTE_ADDR="198.51.100.4").status_code == 403


def test_a_lawyer_is_refused_and_a_verified_dispatcher_reads_them(lawyer_a, dispatcher):
    remote = {"REMOTE_ADDR": "198.51.100.4"}
    assert staff_client(lawyer_a).get("/metrics", **remote).status_code == 403
    assert staff_client(dispatcher, verified=False).get("/metrics", **remote).status_code == 403
    assert staff_client(dispatcher).get("/metrics", **remote).status_code == 200


def test_the_figures_follow_the_cases_the_offers_the_outbox_and_the_workers(
    detainee, lawyer_a, stranger, run_tasks
):
    run_tasks()  # the SOS is offered to lawyer_a
    beats.beat("w1")
    Message.objects.create(dedupe_key="dead-1", channel="sms", state=State.DEAD, attempts=8)
    Message.objects.create(dedupe_key="retry-1", channel="telegram", attempts=2)
    got = samples(scrape(stranger))
    assert got[("habeas_sos_accepted_total", ())] == 1
    assert got[("habeas_sos_to_first_offer_seconds_count", ())] == 1
    assert got[("habeas_sos_to_first_offer_seconds_bucket", (("le", "+Inf"),))] == 1
    assert got[("habeas_deliveries_failed", (("channel", "sms"), ("state", "dead")))] == 1
    assert got[("habeas_deliveries_failed", (("channel", "telegram"), ("state", "retrying")))] == 1
    assert got[("habeas_deliveries_failed", (("channel", "email"), ("state", "dead")))] == 0
    assert got[("habeas_workers_alive", ())] == 1
    assert got[("habeas_outbox_backlog", ())] >= 1


@pytest.mark.parametrize("channel", ["sms", "telegram"])
def test_no_metric_or_label_carries_personal_data_or_an_address(
    phone, lawyer_a, stranger, run_tasks, channel
):
    body = {**DETAINEE_BODY, "contacts": [{"email": "petr@family.test"}, {"phone": "+79035550199"}]}
    response = phone.client.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "metrics-canary-0001"},
        REMOTE_ADDR="203.0.113.77",
    )
    assert response.status_code == 201, response.content
    run_tasks()
    Message.objects.create(
        dedupe_key="dead-canary", channel=channel, state=State.DEAD, last_error="HTTP 500"
    )
    text = scrape(stranger)
    case = Case.objects.get()
    canaries = ["Мария", "Иванова", "Иванов", "1995", "555", "55.76", "37.61", "астма"]
    canaries += [
        "203.0.113",
        "anna@lawyers.test",
        "petr@family",
        "9035550199",
        case.public_id,
        "metrics-canary",
    ]
    for canary in canaries:
        assert canary not in text, canary
    allowed = {"channel": set(ChannelName.values), "state": {"dead", "retrying"}}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            for label, value in sample.labels.items():
                if label == "le":
                    float(value)  # a bucket bound: a number, nothing else
                else:
                    assert value in allowed[label], (sample.name, label, value)
