"""The guide pages: a searchable list and one page per guide, in the reader's language."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from habeas.guides import Guide, load_guides
from habeas.public import guide_views

HOTLINE = "+7 800 555-01-02"


@pytest.fixture(autouse=True)
def hotline(settings):
    settings.HABEAS_HOTLINE_PHONE = HOTLINE


def get(url: str, lang: str = "ru", **params):
    return Client().get(url, params, headers={"Accept-Language": lang})


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_every_guide_in_reading_order_in_russian_by_default():
    html = page(Client().get(reverse("public:guides")))
    titles = [g.title for g in load_guides("ru")]
    positions = [html.index(t) for t in titles]
    assert positions == sorted(positions)
    assert '<html lang="ru">' in html


def test_the_list_is_in_english_for_an_english_reader():
    html = page(get(reverse("public:guides"), "en"))
    assert '<html lang="en">' in html
    assert "At the police station" in html
    assert "В отделе полиции" not in html


def test_a_search_lists_matching_guides_first_with_title_hits_on_top():
    html = page(get(reverse("public:guides"), "ru", q="Суд"))
    results = html.split('class="guide-results"')[1].split("</section>")[0]
    links = re.findall(r'href="/guides/([a-z-]+)/"', results)
    assert links[0] == "court"
    assert 'value="Суд"' in html


def test_a_russian_search_on_an_english_page_finds_the_russian_guides():
    # A word outside the Russian sentences the English guides give to say to police.
    html = page(get(reverse("public:guides"), "en", q="обязательство"))
    results = html.split('class="guide-results"')[1].split("</section>")[0]
    assert 'lang="ru">В отделе полиции</a>' in results


def test_a_russian_phrase_typed_on_an_english_page_finds_the_english_guide_that_gives_it():
    html = page(get(reverse("public:guides"), "en", q="Мне нужен адвокат"))
    results = html.split('class="guide-results"')[1].split("</section>")[0]
    assert ">At the police station</a>" in results
    assert 'lang="ru"' not in results


def test_a_search_with_no_match_says_so_and_still_lists_every_guide():
    html = page(get(reverse("public:guides"), "ru", q="zzzz"))
    assert 'role="status"' in html
    assert html.count('href="/guides/') == len(load_guides("ru"))


def test_a_search_query_is_escaped_on_the_page():
    html = page(get(reverse("public:guides"), "en", q="<script>x</script> lawyer"))
    assert "<script>x" not in html
    assert "&lt;script&gt;x" in html


def test_the_police_station_guide_shows_review_date_disclaimer_and_hotline():
    html = page(get(reverse("public:guide", args=["police-station"])))
    assert "<h1>В отделе полиции</h1>" in html
    assert "Я воспользуюсь статьёй 51 Конституции" in html
    assert '<time datetime="2026-11-26">' in html
    assert 'href="tel:+78005550102"' in html
    assert HOTLINE in html
    # UI strings are English msgids until the catalogue is compiled; either text must be there.
    assert "does not replace a lawyer" in html or "не заменяет адвоката" in html


def test_an_english_guide_page_is_in_english():
    html = page(get(reverse("public:guide", args=["police-station"]), "en"))
    assert "<h1>At the police station</h1>" in html
    assert '<article class="guide" lang="en">' in html
    assert "This guide does not replace a lawyer." in html
    # Not yet reviewed by a lawyer: the date is the text's last update, not a "legal review".
    assert "Last update:" in html and "Last legal review:" not in html
    assert "A lawyer has not yet reviewed this text." in html


def test_a_guide_reviewed_by_a_lawyer_names_the_reviewer_and_drops_the_warning(monkeypatch):
    real = guide_views.get_guide

    def reviewed(lang, slug, jurisdiction="ru"):
        guide = real(lang, slug, jurisdiction)
        return Guide(**{**guide.__dict__, "reviewer": "Анна Юристова"}) if guide else None

    monkeypatch.setattr(guide_views, "get_guide", reviewed)
    html = page(get(reverse("public:guide", args=["court"]), "en"))
    assert "Анна Юристова" in html
    assert "Last legal review:" in html
    assert "has not yet reviewed" not in html


def test_an_unknown_guide_is_not_found():
    assert get("/guides/no-such-guide/").status_code == 404
    assert get("/guides/..%2Fsettings/").status_code == 404


def test_a_guide_missing_in_english_falls_back_to_russian(monkeypatch):
    russian = load_guides("ru")
    english = [g for g in load_guides("en") if g.slug != "court"]
    monkeypatch.setattr(
        guide_views, "load_guides", lambda lang, j="ru": russian if lang == "ru" else english
    )
    monkeypatch.setattr(
        guide_views,
        "get_guide",
        lambda lang, slug, j="ru": next(
            (g for g in (russian if lang == "ru" else english) if g.slug == slug), None
        ),
    )
    listing = page(get(reverse("public:guides"), "en"))
    assert 'lang="ru">В суде</a>' in listing
    assert "At the police station" in listing
    detail = page(get(reverse("public:guide", args=["court"]), "en"))
    assert '<article class="guide" lang="ru">' in detail
    assert "<h1>В суде</h1>" in detail
    assert "not yet translated" in detail


@pytest.mark.parametrize("url", ["/guides/", "/guides/police-station/", "/guides/?q=телефон"])
def test_pages_carry_no_inline_script_or_style_for_the_strict_csp(url):
    html = page(get(url))
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert re.search(r"\son[a-z]+=", html) is None


def test_pages_send_a_same_origin_referrer_so_the_language_form_passes_csrf():
    for url in ("/guides/", "/guides/court/"):
        response = get(url)
        assert response["Referrer-Policy"] == "same-origin"
        assert 'name="referrer"' not in response.content.decode()


def test_the_language_form_switches_the_guides_to_english():
    client = Client(enforce_csrf_checks=True)
    html = page(client.get("/guides/court/", headers={"Accept-Language": "ru"}))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/guides/court/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/guides/court/"
    assert "<h1>In court</h1>" in page(client.get("/guides/court/"))


def test_pages_answer_only_safe_methods():
    assert Client().post(reverse("public:guides")).status_code == 405


def test_each_guide_page_renders_in_both_languages():
    for lang in ("ru", "en"):
        for guide in load_guides(lang):
            html = page(get(reverse("public:guide", args=[guide.slug]), lang))
            assert f"<h1>{guide.title}</h1>" in html
