"""/healthz answers 200 only when the database answers, a worker beat within the last
ALIVE_SECONDS (three beats) and the outbox is not piling up; otherwise 503. Its body is
counts, never personal data."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from habeas.notifications.models import Message
from habeas.ops import beats
from habeas.ops.models import WorkerBeat


@pytest.fixture
def worker(db):
    beats.beat("test-worker")


def test_without_any_worker_healthz_answers_503(stranger, db):
    response = stranger.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"] == 0
    assert response.json()["status"] == "unhealthy"


def test_with_a_worker_that_just_beat_healthz_answers_200(stranger, worker):
    response = stranger.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": True,
        "workers": 1,
        "outbox_backlog": 0,
        "outbox_limit": 500,
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_worker_silent_for_three_beats_counts_as_absent(stranger, worker):
    assert beats.ALIVE_SECONDS == 3 * beats.BEAT_SECONDS <= 15
    silent = timedelta(seconds=beats.ALIVE_SECONDS + 1)
    WorkerBeat.objects.update(seen_at=timezone.now() - silent)
    response = stranger.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"] == 0


def test_a_worker_that_missed_two_beats_still_counts(stranger, worker):
    WorkerBeat.objects.update(seen_at=timezone.now() - timedelta(seconds=2 * beats.BEAT_SECONDS))
    assert stranger.get("/healthz").json()["workers"] == 1


def test_a_dead_worker_beside_a_living_one_is_not_counted(stranger, worker):
    beats.beat("killed-worker")
    WorkerBeat.objects.filter(worker_id="killed-worker").update(
        seen_at=timezone.now() - timedelta(seconds=beats.ALIVE_SECONDS + 1)
    )
    assert stranger.get("/healthz").json()["workers"] == 1


def test_an_outbox_backlog_over_the_limit_answers_503(stranger, worker, settings):
    settings.HABEAS_HEALTH_OUTBOX_LIMIT = 1
    for n in range(2):
        Message.objects.create(dedupe_key=f"backlog-{n}", channel="sms")
    response = stranger.get("/healthz")
    assert response.status_code == 503
    assert response.json()["outbox_backlog"] == 2


def test_an_unreachable_database_answers_503_without_naming_its_host(stranger, monkeypatch, db):
    def down(*args, **kwargs):
        raise OperationalError('connection to server at "10.9.8.7", port 5432 failed')

    monkeypatch.setattr("habeas.ops.health.beats.alive", down)
    response = stranger.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "database": False}
    assert b"10.9.8.7" not in response.content


def test_healthz_refuses_a_post_with_405_not_500(stranger, db):
    assert stranger.post("/healthz").status_code == 405


def test_a_local_health_check_over_plain_http_is_not_redirected(settings, worker):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # built after the settings change, so the middleware reads them
    assert client.get("/healthz").status_code == 200
    assert client.get("/console/").status_code == 301
