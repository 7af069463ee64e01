"""Every public page, and the console's pages with the map, load only from our own origin:
no CDN, no fonts, no analytics, no map tiles unless the organisation's own server is set.

A request to another origin tells a third party who uses Habeas, and when.
"""

import pytest
from django.urls import reverse

from conftest import DETAINEE_BODY, Phone
from e2e.test_sos_reaches_the_console import log_in
from habeas.cases.services import watch_token_for
from habeas.lawyers.models import Lawyer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_paths(watch_path: str) -> list[str]:
    return [
        "/",
        "/guides/",
        "/guides/police-station/",
        "/summons/",
        "/help/",
        "/stats/",
        "/someone/",
        "/timer/",
        "/photo/",
        watch_path,
    ]


def test_public_pages_request_nothing_from_another_origin_and_break_no_csp(phone_page, live_server):
    phone = Phone()
    assert phone.sos(DETAINEE_BODY, key="third-party-01").status_code == 201
    watch_path = reverse("public:watch", args=[watch_token_for("third-party-01")])

    foreign, violations = [], []
    phone_page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if not r.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    phone_page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    for path in public_paths(watch_path):
        response = phone_page.goto(path)
        assert response.status == 200, path
        phone_page.wait_for_load_state("networkidle")
    assert foreign == []
    assert violations == []


def test_console_pages_with_the_map_request_nothing_from_another_origin(
    console_page, live_server, dispatcher, lawyer_a, stations
):
    # No tile server configured (the default): the map draws on a plain ground.
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=55.771, base_lon=37.62)
    phone = Phone()
    assert phone.sos(DETAINEE_BODY, key="third-party-console").status_code == 201

    foreign, violations = [], []
    console_page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if not r.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    console_page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(console_page, dispatcher)
    for path in (
        "/console/",
        "/console/stations/",
        "/console/map/",
        f"/console/cases/{phone.case_id}/",
    ):
        response = console_page.goto(path)
        assert response.status == 200, path
        console_page.wait_for_load_state("networkidle")
    assert console_page.locator("#map .leaflet-tooltip").count() == 1  # the map was drawn
    assert foreign == []
    assert violations == []
