"""Every shipped guide loads, has a twin in each language, and cites the law."""

import re
from datetime import date

import pytest

from habeas.guides import CONTENT_DIR, get_guide, load_guides

LANGS = ["ru", "en"]
SITUATIONS = [
    "before-protest",
    "street",
    "van",
    "police-station",
    "search",
    "witness",
    "face-recognition",
    "court",
    "after-release",
    "for-relatives",
]
CITES_ARTICLE = re.compile(r"\bст\.|стать|\bArts?\b\.?", re.IGNORECASE)


@pytest.mark.parametrize("lang", LANGS)
def test_every_shipped_guide_loads_in_reading_order(lang):
    guides = load_guides(lang)
    assert [g.slug for g in guides] == SITUATIONS
    assert [g.order for g in guides] == sorted(g.order for g in guides)


def test_every_russian_guide_has_an_english_twin_with_the_same_slug_and_order():
    russian = [(g.slug, g.order) for g in load_guides("ru")]
    english = [(g.slug, g.order) for g in load_guides("en")]
    assert russian == english


def test_every_jurisdiction_folder_exists_in_every_language():
    folders = {lang: {p.name for p in (CONTENT_DIR / lang).iterdir()} for lang in LANGS}
    assert folders["ru"] == folders["en"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_guide_cites_an_article(lang):
    for guide in load_guides(lang):
        assert CITES_ARTICLE.search(guide.text), guide.slug


@pytest.mark.parametrize("lang", LANGS)
def test_every_guide_has_a_review_date_not_in_the_future_and_sources(lang):
    for guide in load_guides(lang):
        assert guide.reviewed <= date.today(), guide.slug
        assert guide.sources, guide.slug


@pytest.mark.parametrize("lang", LANGS)
def test_guides_leave_the_page_heading_to_the_page(lang):
    # The page shows the title as <h1>; a second one would confuse screen readers.
    for guide in load_guides(lang):
        assert "<h1" not in guide.html, guide.slug
        assert "<h2 id=" in guide.html, guide.slug


def test_russian_guides_give_the_exact_article_51_phrase():
    station = get_guide("ru", "police-station")
    assert "Я воспользуюсь статьёй 51 Конституции и не буду давать показания" in station.text
    assert "<strong>«Я воспользуюсь статьёй 51" in station.html


def test_plain_text_has_no_markdown_marks():
    station = get_guide("ru", "police-station")
    assert "**" not in station.text
    assert "## " not in station.text


def test_an_unknown_guide_language_or_a_path_is_simply_absent():
    assert get_guide("ru", "no-such-guide") is None
    assert load_guides("de") == []
    assert load_guides("..", "..") == []
    assert load_guides("ru", "../en") == []
