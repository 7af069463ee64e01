"""On the day, in a real browser, on a phone in Russian and a laptop in English: a lawyer
takes a station's waiting cases from the board, a dispatcher ticks cases on the live queue
and gives them to one lawyer, and the map draws stations and areas with no third party
asked for anything (tiles only from the organisation's own server), all by keyboard."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from e2e.test_sos_reaches_the_console import log_in
from habeas.cases import services as cases
from habeas.cases.models import Case
from habeas.lawyers.models import Lawyer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TVERSKOY = (55.7649, 37.6116)
ARBAT = (55.7478, 37.5889)
SIZES = {
    "phone-ru": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "locale": "ru-RU",
    },
    "desktop-en": {"viewport": {"width": 1280, "height": 800}, "locale": "en-GB"},
}
# A transparent 1×1 PNG: what the fake tile server answers for every tile.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture(params=list(SIZES))
def screen(request, browser, live_server):
    """A page of the given size and language, and that language's code."""
    options = SIZES[request.param]
    context = browser.new_context(base_url=live_server.url, **options)
    page = context.new_page()
    yield page, options["locale"][:2]
    context.close()


def say(language: str, text: str, plural: str | None = None, count: int = 1, **params) -> str:
    """What the page shows for an English msgid in this language."""
    with translation.override(language):
        words = ngettext(text, plural, count) if plural else gettext(text)
    return words % params if params else words


def open_cases_at(point, n: int, key: str) -> list[Case]:
    intake = cases.Intake(location=cases.Location(lat=point[0], lon=point[1]))
    return [cases.open_case(intake, idempotency_key=f"{key}-{i}").case for i in range(n)]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_lawyer_takes_the_waiting_cases_at_a_station_by_keyboard(screen, lawyer_a, stations):
    page, lang = screen
    Lawyer.objects.filter(user=lawyer_a).update(capacity=2)
    open_cases_at(TVERSKOY, 3, f"take-{lang}")
    open_cases_at(ARBAT, 1, f"arbat-{lang}")
    log_in(page, lawyer_a)
    page.get_by_role("link", name=say(lang, "Stations"), exact=True).click()
    rows = page.locator(".station-row h2")
    expect(rows.first).to_have_text("ОВД Тверской")  # 3 waiting: the worst first
    assert fits_the_screen(page)
    button = page.locator("[data-station-id] .take-all button").first
    expect(button).to_have_accessible_name(say(lang, "Take the waiting cases here"))
    button.focus()
    page.keyboard.press("Enter")
    done = say(
        lang,
        "You took %(n)d case at %(station)s.",
        "You took %(n)d cases at %(station)s.",
        2,
        n=2,
        station="ОВД Тверской",
    )
    expect(page.locator(".message.success")).to_have_text(done)
    expect(page.locator(".message.warning")).to_contain_text(
        say(lang, "%(n)d case is still waiting.", "%(n)d cases are still waiting.", 1, n=1)
    )
    assert Case.objects.filter(assigned_lawyer=lawyer_a).count() == 2


def test_a_dispatcher_ticks_cases_on_the_live_queue_and_assigns_them_by_keyboard(
    screen, dispatcher, lawyer_a, stations
):
    page, lang = screen
    first, second, _third = open_cases_at(TVERSKOY, 3, f"tick-{lang}")
    log_in(page, dispatcher)
    for case in (first, second):
        box = page.locator(f'input[name=case][value="{case.public_id}"]')
        expect(box).to_have_accessible_name(say(lang, "Choose case %(id)s", id=case.public_id))
        box.focus()
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    # A new case arrives and the poll redraws the list: the ticks must survive it.
    [late] = open_cases_at(ARBAT, 1, f"late-{lang}")
    expect(page.locator(f'[data-case-id="{late.public_id}"]')).to_be_attached(timeout=10_000)
    for case in (first, second):
        expect(page.locator(f'input[name=case][value="{case.public_id}"]')).to_be_checked()
    assert fits_the_screen(page)
    page.locator("#lawyer-several").select_option(str(lawyer_a.pk))
    page.locator("#assign-several button[type=submit]").focus()
    page.keyboard.press("Enter")
    done = say(
        lang,
        "%(n)d case assigned to %(lawyer)s.",
        "%(n)d cases assigned to %(lawyer)s.",
        2,
        n=2,
        lawyer="Anna Lawyer",
    )
    expect(page.locator(".message.success")).to_have_text(done)
    assert set(Case.objects.filter(assigned_lawyer=lawyer_a)) == {first, second}


def test_the_map_draws_stations_on_a_plain_ground_and_zooms_by_keyboard(
    screen, dispatcher, lawyer_a, stations, live_server
):
    page, lang = screen
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=55.771, base_lon=37.62)
    open_cases_at(TVERSKOY, 2, f"map-{lang}")
    open_cases_at(ARBAT, 1, f"map-arbat-{lang}")
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    log_in(page, dispatcher)
    page.get_by_role("link", name=say(lang, "Map"), exact=True).click()
    tooltips = page.locator("#map .leaflet-tooltip")
    expect(tooltips).to_have_count(2)
    expect(tooltips.first).to_contain_text("ОВД Тверской")
    expect(page.locator("#map .map-cell")).to_have_count(2)
    expect(page.locator("#map .map-base")).to_have_count(1)
    assert page.locator("#map img.leaflet-tile").count() == 0
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert fits_the_screen(page)

    def spread() -> float:
        a, b = (tooltips.nth(i).bounding_box() for i in range(2))
        return abs(a["y"] - b["y"]) + abs(a["x"] - b["x"])

    before = spread()
    page.locator("#map").focus()
    page.keyboard.press("+")
    page.wait_for_timeout(600)  # the zoom animation
    assert spread() > before * 1.5
    zoom_in = page.locator("#map .leaflet-control-zoom-in")
    expect(zoom_in).to_have_accessible_name(say(lang, "Zoom in"))


class Tiles(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):
        pass


@pytest.fixture
def tile_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_tiles_come_only_from_the_configured_tile_server_and_the_csp_lets_them_in(
    console_page, dispatcher, stations, settings, tile_server, live_server
):
    settings.HABEAS_MAP_TILES_URL = tile_server + "/tiles/{z}/{x}/{y}.png"
    settings.HABEAS_MAP_ATTRIBUTION = "© OpenStreetMap contributors"
    open_cases_at(TVERSKOY, 1, "tiles")
    requested, violations = [], []
    console_page.on("request", lambda r: requested.append(r.url))
    console_page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(console_page, dispatcher)
    console_page.goto("/console/map/")
    tile = console_page.locator("#map img.leaflet-tile-loaded").first
    expect(tile).to_be_attached()
    expect(console_page.locator(".leaflet-control-attribution")).to_have_text(
        "© OpenStreetMap contributors"
    )
    foreign = [u for u in requested if not u.startswith((live_server.url, tile_server))]
    assert foreign == [] and violations == []
    assert any(u.startswith(tile_server + "/tiles/") for u in requested)
