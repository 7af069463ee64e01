import re
from datetime import timedelta

from django.utils import timezone

from conftest import staff_client
from habeas.cases import services
from habeas.cases.models import Case
from habeas.dispatch import services as dispatch
from habeas.lawyers.models import Lawyer

from .helpers import open_case


def panel(html: str) -> dict[str, str]:
    found = re.search(r'<section class="surge".*?</section>', html, re.S)
    assert found, "no surge panel"
    items = re.findall(r'data-surge="(\w+)"><dt>.*?</dt><dd>(.*?)</dd>', found.group(0), re.S)
    return {name: re.sub(r"<[^>]+>", "", value).strip() for name, value in items}


def test_the_surge_panel_counts_cases_by_state_lawyers_and_offers(
    dispatcher, lawyer_a, lawyer_b, stations, settings
):
    # The waiting case has waited 42 min; it is offered, and not escalated yet.
    settings.HABEAS_ESCALATE_AFTER_MINUTES = 60
    Lawyer.objects.filter(user=lawyer_b).update(capacity=1)
    # Anna's case and the waiting one at one station, so she may be offered it.
    here = services.Location(lat=55.7649, lon=37.6116)
    waiting = open_case(location=here)
    Case.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=42))
    escalated = open_case()
    services.escalate(escalated)
    services.transition(open_case().pk, "take", actor=lawyer_b)
    on_site = open_case(location=here)
    for step in ("take", "at_station"):
        services.transition(on_site.pk, step, actor=lawyer_a)
    dispatch.offer_next(waiting.pk)
    gone = open_case()
    services.transition(gone.pk, "take", actor=dispatcher)
    services.transition(gone.pk, "close", actor=dispatcher)

    html = staff_client(dispatcher).get("/console/", headers={"Accept-Language": "en"})
    numbers = panel(html.content.decode())
    assert numbers == {
        "waiting": "2",
        "escalated": "1",
        "oldest": "42 min",
        "assigned": "1",
        "on_site": "1",
        # Anna has one case and the offer, under her three; Boris has his one of one.
        "free": "1 / 2",
        "offers": "1",
    }


def test_lawyers_at_capacity_are_not_counted_as_free(dispatcher, lawyer_a, lawyer_b):
    Lawyer.objects.filter(user=lawyer_b).update(capacity=1)
    services.transition(open_case().pk, "take", actor=lawyer_b)
    numbers = panel(staff_client(dispatcher).get("/console/").content.decode())
    assert numbers["free"] == "1 / 2"


def test_lawyers_do_not_see_the_surge_panel(lawyer_a, detainee):
    html = staff_client(lawyer_a).get("/console/").content.decode()
    assert 'class="surge"' not in html


def test_the_panel_is_in_the_polled_fragment_and_changes_when_a_lawyer_goes_off_duty(
    dispatcher, lawyer_a, detainee
):
    client = staff_client(dispatcher)
    first = client.get("/console/queue/list/")
    assert panel(first.content.decode())["free"] == "1 / 1"
    etag = first["ETag"]
    assert client.get("/console/queue/list/", headers={"If-None-Match": etag}).status_code == 304

    client.post("/console/duty/", {"lawyer": lawyer_a.pk, "on_duty": "off"})
    fresh = client.get("/console/queue/list/", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert panel(fresh.content.decode())["free"] == "0 / 0"


def test_the_panel_costs_a_few_aggregate_queries_however_many_cases(
    dispatcher, lawyer_a, django_assert_max_num_queries
):
    for _ in range(5):
        open_case()
    client = staff_client(dispatcher)
    etag = client.get("/console/queue/list/")["ETag"]
    # Session, user and second-factor device, the queue's version (two index-served
    # queries), then the panel's counts.
    with django_assert_max_num_queries(8):
        assert (
            client.get("/console/queue/list/", headers={"If-None-Match": etag}).status_code == 304
        )
