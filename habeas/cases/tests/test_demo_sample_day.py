"""`demo_data` adds an anonymous sample day once, so the demo's /stats/ is not empty."""

import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from habeas.cases.demo_sample import DEMO_REASON, add_sample_day
from habeas.cases.models import Case, CaseEvent, Report

pytestmark = pytest.mark.django_db


def test_the_sample_day_is_added_once_and_is_anonymous(stations):
    added = add_sample_day()
    assert added > 0
    assert add_sample_day() == 0
    assert Case.objects.filter(close_reason=DEMO_REASON).count() == added
    assert not Report.objects.exists()
    assert not CaseEvent.objects.exclude(sealed_note=None).exists()
    assert not Case.objects.exclude(lat_coarse=None).exists()
    assert not Case.objects.exclude(status="closed").exists()


def test_the_demo_shows_a_page_with_figures(client, settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    cache.clear()
    body = client.get("/stats/stats.json").json()
    assert body["total"]["count"] > 0
    assert body["refusals"]["total"]["count"] > 0
    assert not body["sos_to_lawyer"]["suppressed"]
    cache.clear()


def test_outside_debug_there_is_no_demo(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_data")
    assert not Case.objects.exists()
