"""The console's map: stations for all staff, coarse cells and lawyers' bases for dispatchers
only, never a point finer than the routing envelope's cell, and tiles only from the
organisation's own server, allowed by the CSP on the map's pages alone."""

import json
import re

import pytest

from conftest import DETAINEE_BODY, Phone, staff_client
from habeas.cases.models import Case
from habeas.lawyers.models import Lawyer
from habeas.lib import geo
from habeas.tests.test_settings import GOOD, check

EN = {"Accept-Language": "en"}
TILES = "https://tiles.example.org/osm/{z}/{x}/{y}.png"


def map_data(response) -> dict:
    html = response.content.decode()
    found = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def img_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(d for d in policy.split(";") if d.strip().startswith("img-src")).strip()


@pytest.fixture
def reported(stations, lawyer_a):
    """An SOS with the person's exact location, near Tverskoy, and a lawyer on duty with a
    base point given to the metre."""
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=55.771234, base_lon=37.623456)
    phone = Phone()
    assert phone.sos(DETAINEE_BODY).status_code == 201
    return Case.objects.get(public_id=phone.case_id)


def test_a_dispatcher_sees_stations_cells_and_bases_each_no_finer_than_a_cell(dispatcher, reported):
    data = map_data(staff_client(dispatcher).get("/console/map/", headers=EN))
    [station] = data["stations"]
    assert station["label"] == "ОВД Тверской: 1 person, 1 waiting"
    # The list under the map links to the station's row on whichever page of the board.
    html = staff_client(dispatcher).get("/console/map/", headers=EN).content.decode()
    board = f'href="/console/stations/?station={station["id"]}#station-{station["id"]}"'
    assert board in html
    [cell] = data["cells"]
    assert (cell["lat"], cell["lon"]) == (55.765, 37.61)
    assert data["cell"] == geo.COARSE_STEP_DEG
    [base] = data["bases"]
    assert base["label"] == "Anna Lawyer"
    for point in data["cells"] + data["bases"]:
        assert point["lat"] == geo.coarse(point["lat"]) and point["lon"] == geo.coarse(point["lon"])


def test_no_exact_location_or_base_reaches_the_map_page(dispatcher, reported):
    html = staff_client(dispatcher).get("/console/map/", headers=EN).content.decode()
    exact = [str(DETAINEE_BODY["location"]["lat"]), str(DETAINEE_BODY["location"]["lon"])]
    for value in [*exact, "55.771234", "37.623456", "55.7712", "37.6235"]:
        assert value not in html


@pytest.mark.parametrize("who", ["lawyer_b", "operator"])
def test_lawyers_and_operators_see_the_stations_only(who, request, reported):
    user = request.getfixturevalue(who)
    response = staff_client(user).get("/console/map/", headers=EN)
    data = map_data(response)
    assert [s["label"] for s in data["stations"]] == ["ОВД Тверской: 1 person, 1 waiting"]
    assert data["cells"] == [] and data["bases"] == []
    html = response.content.decode()
    assert "Anna Lawyer" not in html and "55.765" not in html


def test_strangers_are_sent_to_log_in(stranger):
    assert stranger.get("/console/map/").status_code == 302


def test_without_a_tile_server_the_map_asks_for_no_tiles_and_the_csp_stays_strict(
    dispatcher, reported
):
    response = staff_client(dispatcher).get("/console/map/", headers=EN)
    assert map_data(response)["tiles"] is None
    assert img_src(response) == "img-src 'self' data:"
    assert "No tile server is set up" in response.content.decode()


def test_a_tile_server_is_allowed_on_the_map_pages_only(dispatcher, reported, settings):
    settings.HABEAS_MAP_TILES_URL = TILES
    settings.HABEAS_MAP_ATTRIBUTION = "© OpenStreetMap contributors"
    client = staff_client(dispatcher)
    on_map = client.get("/console/map/", headers=EN)
    assert map_data(on_map)["tiles"] == TILES
    assert map_data(on_map)["attribution"] == "© OpenStreetMap contributors"
    assert img_src(on_map) == "img-src 'self' data: https://tiles.example.org"
    case_page = client.get(f"/console/cases/{reported.public_id}/", headers=EN)
    assert img_src(case_page) == "img-src 'self' data: https://tiles.example.org"
    for elsewhere in ("/console/", "/console/stations/", "/"):
        assert "tiles.example.org" not in client.get(elsewhere)["Content-Security-Policy"]


def test_the_case_page_shows_the_station_to_all_and_the_cell_to_who_may_see_details(
    dispatcher, lawyer_b, reported
):
    path = f"/console/cases/{reported.public_id}/"
    desk = map_data(staff_client(dispatcher).get(path, headers=EN))
    assert [s["label"] for s in desk["stations"]] == ["near ОВД Тверской"]
    assert [(c["lat"], c["lon"]) for c in desk["cells"]] == [(55.765, 37.61)]
    other = map_data(staff_client(lawyer_b).get(path, headers=EN))
    assert [s["label"] for s in other["stations"]] == ["near ОВД Тверской"]
    assert other["cells"] == []


@pytest.mark.parametrize(
    "value",
    [
        "tiles.example.org/{z}/{x}/{y}.png",  # no scheme
        "ftp://tiles.example.org/{z}/{x}/{y}.png",
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png",  # several origins
        "https://tiles.example.org/{z}/{x}.png",  # no {y}
    ],
)
def test_a_tile_url_the_map_cannot_use_stops_start_up_with_its_name(value, tmp_path):
    result = check({**GOOD, "HABEAS_MAP_TILES_URL": value}, tmp_path)
    assert result.returncode != 0
    assert "HABEAS_MAP_TILES_URL" in result.stderr
    assert "Traceback" not in result.stderr
