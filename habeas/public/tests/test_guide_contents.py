"""A long guide opens with a table of contents made from its sections and ends with an SOS
button; an English guide shows the Russian sentence beside each phrase to say to police."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from habeas.guides import Guide, load_guides
from habeas.public import guide_views


def html_of(slug: str, lang: str) -> str:
    response = Client().get(reverse("public:guide", args=[slug]), headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.content.decode()


def toc_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="guide-toc".*?</nav>', html, re.S)
    return re.findall(r'<a href="#([^"]+)">', nav.group(0)) if nav else []


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_long_guide_lists_each_section_at_the_top_and_ends_with_the_sos(lang):
    for guide in load_guides(lang):
        assert guide.is_long, guide.slug  # every shipped guide has four sections or more
        html = html_of(guide.slug, lang)
        anchors = [anchor for anchor, _ in guide.sections]
        assert toc_links(html) == anchors, guide.slug
        for anchor in anchors:
            # Each link lands on its heading, and no id is used twice on the page.
            assert html.count(f'id="{anchor}"') == 1, (guide.slug, anchor)
        body = html.index('<div class="guide-body">')
        assert html.index('class="guide-toc"') < body < html.index('id="guide-sos"')
        sos = re.search(r'<a id="guide-sos" class="button danger" href="([^"]+)">([^<]+)</a>', html)
        assert sos[1] == reverse("public:home")


def test_the_table_of_contents_and_the_sos_speak_the_readers_language():
    russian, english = html_of("police-station", "ru"), html_of("police-station", "en")
    assert 'id="guide-toc-title" lang="ru">В этой памятке</h2>' in russian
    assert ">Задержали? Нажмите SOS</a>" in russian
    assert 'id="guide-toc-title" lang="en">In this guide</h2>' in english
    assert ">Detained? Press SOS</a>" in english
    assert '<a href="#the-phone-call">The phone call</a>' in english


def test_a_short_guide_has_neither_contents_nor_the_closing_sos(monkeypatch):
    real = guide_views.get_guide

    def short(lang, slug, jurisdiction="ru"):
        guide = real(lang, slug, jurisdiction)
        return Guide(**{**guide.__dict__, "sections": guide.sections[:3]}) if guide else None

    monkeypatch.setattr(guide_views, "get_guide", short)
    html = html_of("street", "en")
    assert "guide-toc" not in html
    assert "guide-sos" not in html


def test_an_english_guide_marks_the_russian_sentence_to_say_as_russian():
    html = html_of("police-station", "en")
    assert (
        "<strong>&quot;I will use Article 51 of the Constitution and will not testify.&quot;"
        '</strong> — <strong lang="ru" class="say-police">«Я воспользуюсь статьёй 51 Конституции'
        " и не буду давать показания»</strong>"
    ) in html
    # The Russian page has nothing to mark: the whole article is Russian already.
    assert "say-police" not in html_of("police-station", "ru")
