"""The public statistics page and its downloads: the same hidden cells everywhere, both
languages, no other origin, nothing left on the phone, and a cached page costs no query."""

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.utils.timezone import localtime

from habeas.stats.tests.crafting import cases, refused, station

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    "/stats/stats.json",
    *(
        f"/stats/{t}.csv"
        for t in ("summary", "days", "cities", "stations", "kinds", "outcomes", "refusals", "waits")
    ),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def differencing():
    """Stations A=3, B=3 (hidden together), C=28 (8 with a lawyer refused) and D=10; city X
    holds A and C, Y holds B and D: X - C would give A back, so every station is hidden."""
    made = {
        "a": station("ОВД Арбат", "тверь"),
        "b": station("ОВД Басманный", "казань"),
        "c": station("ОВД Центральный", "тверь"),
        "d": station("ОВД Дальний", "казань"),
    }
    for key, n in {"a": 3, "b": 3, "c": 20, "d": 10}.items():
        cases(n, held=made[key])  # C gets 8 more below
    for case in cases(6, held=made["c"]):
        refused(case, made["c"], "fortress", 45)
    for case in cases(2, held=made["c"]):
        refused(case, made["c"], "not_here", 45)
    return made


def csv_rows(client, table: str, lang: str = "en") -> list[dict]:
    response = client.get(f"/stats/{table}.csv?lang={lang}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_page_and_every_download_hide_the_same_cells(client, differencing):
    page = client.get("/stats/?lang=en").content.decode()
    stations = {r["station"]: r["count"] for r in csv_rows(client, "stations")}
    cities = {r["city_key"]: r["count"] for r in csv_rows(client, "cities")}
    body = client.get("/stats/stats.json").json()
    by_name = {r["name"]: r for r in body["stations"]}
    for name in ("ОВД Арбат", "ОВД Басманный", "ОВД Центральный", "ОВД Дальний"):
        assert stations[name] == "< 5", name
        assert by_name[name]["count"] is None and by_name[name]["suppressed"]
        # In the page's table the station's row says "< 5", never its count.
        row = re.search(rf"<th scope=\"row\">{name}</th><td class=\"num\">([^<]*)</td>", page)
        assert row and row.group(1) == "&lt; 5", name
    assert cities == {"тверь": "31", "казань": "13"}
    assert body["suppressed_marker"] == "< 5"
    assert ">31<" in page and ">13<" in page


def test_the_refusals_hide_a_cell_the_station_total_would_give_back(client, differencing):
    c = str(differencing["c"].pk)
    rows = {(r["station_id"], r["reason"]): r["count"] for r in csv_rows(client, "refusals")}
    assert rows[(c, "not_here")] == "< 5"
    assert "< 5" in (rows[(c, "fortress")], rows[(c, "all")])
    body = client.get("/stats/stats.json").json()
    (row,) = body["refusals"]["by_station"]
    assert row["reasons"]["not_here"]["suppressed"]


def test_kinds_not_made_public_appear_nowhere(client, settings):
    settings.HABEAS_STATS_KINDS = ["detention"]
    cases(6, kind="detention")
    cases(9, kind="summons")
    kinds = csv_rows(client, "kinds")
    assert [r["kind"] for r in kinds] == ["detention"] and kinds[0]["count"] == "6"
    assert {r["measure"]: r["value"] for r in csv_rows(client, "summary")}["cases"] == "6"
    page = client.get("/stats/?lang=en").content.decode()
    assert "Summons" not in page and ">15<" not in page


@pytest.mark.parametrize("path", ["/stats/", *DOWNLOADS])
def test_no_case_id_or_exact_time_is_published(client, path):
    made = cases(7, held=station("ОВД Тайный"))
    text = client.get(path).content.decode()
    for case in made:
        assert case.public_id not in text
        for at in (case.created_at, localtime(case.created_at)):
            assert at.isoformat()[:16] not in text


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Открытая статистика", "Задержания по дням"]),
        ("en", ["Open statistics", "Detentions by day"]),
    ],
)
def test_the_page_renders_in_both_languages(client, lang, words, differencing):
    response = client.get(f"/stats/?lang={lang}")
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    text = response.content.decode()
    assert f'<html lang="{lang}">' in text
    for word in words:
        assert word in text


def test_a_csv_follows_the_language_asked_for(client):
    cases(6, outcome="fine", status="closed")
    labels = {r["outcome"]: r["label"] for r in csv_rows(client, "outcomes", "ru")}
    assert labels["fine"] == "Штраф"
    labels = {r["outcome"]: r["label"] for r in csv_rows(client, "outcomes", "en")}
    assert labels["fine"] == "Fine"


def test_an_unknown_language_or_table_is_refused(client):
    response = client.get("/stats/?lang=de")
    assert response.status_code == 400 and "lang" in response.json()
    assert client.get("/stats/secret.csv").status_code == 404


@pytest.mark.parametrize("path", ["/stats/", *DOWNLOADS])
def test_the_page_and_downloads_reference_no_other_origin(client, path, differencing):
    body = client.get(path).content.decode()
    assert "http://" not in body and "https://" not in body
    assert not re.search(r"""(src|href)=["']//""", body)


@pytest.mark.parametrize("path", ["/stats/", *DOWNLOADS])
def test_nothing_is_stored_on_the_phone(client, path):
    response = client.get(path)
    assert not response.cookies, response.cookies
    assert response["Cache-Control"] == "no-store"


def test_the_page_has_no_script_and_no_inline_style(client, differencing):
    text = client.get("/stats/").content.decode()
    assert "<script" not in text and "<style" not in text
    assert not re.search(r"\sstyle=", text) and not re.search(r"\son[a-z]+=", text)


def test_each_chart_has_a_title_a_description_and_a_table(client, differencing):
    text = client.get("/stats/?lang=en").content.decode()
    charts = re.findall(r'<svg class="chart"[^>]*aria-labelledby="([^"]+)"', text)
    assert len(charts) == 6
    for ids in charts:
        title, desc = ids.split()
        assert f'<title id="{title}">' in text and f'<desc id="{desc}">' in text
    assert text.count("<table>") >= 6


def test_a_cached_page_and_its_downloads_cost_no_query(
    client, django_assert_num_queries, differencing
):
    client.get("/stats/")
    with django_assert_num_queries(0):
        for path in ["/stats/?lang=en", "/stats/?lang=ru", *DOWNLOADS]:
            assert client.get(path).status_code == 200


def test_an_empty_database_shows_an_empty_page(client):
    text = client.get("/stats/?lang=en").content.decode()
    assert "Nothing counted yet." in text
    assert client.get("/stats/stats.json").json()["period"] is None


def test_the_guides_list_links_to_the_statistics(client):
    assert 'href="/stats/"' in client.get("/guides/").content.decode()


def test_the_page_is_drawn_once_per_language_and_copy_of_the_figures(
    client, differencing, settings
):
    settings.HABEAS_ORG_NAME = "Первая"
    first = client.get("/stats/?lang=en").content.decode()
    russian = client.get("/stats/?lang=ru").content.decode()
    assert "Первая" in first and "Первая" in russian and russian != first
    # Until the figures are computed again, readers get the page as drawn, not a new drawing.
    settings.HABEAS_ORG_NAME = "Вторая"
    assert client.get("/stats/?lang=en").content.decode() == first
    assert client.get("/stats/?lang=ru").content.decode() == russian
    # A new copy of the figures (the period ran out) is drawn again, with its new numbers.
    cache.clear()
    cases(30, held=differencing["d"])
    again = client.get("/stats/?lang=en").content.decode()
    assert "Вторая" in again and again != first.replace("Первая", "Вторая")
