"""Each guide's `##` sections become anchors for a table of contents; four or more make it long."""

from habeas.guides.loader import LONG_GUIDE_SECTIONS, parse_guide

HEAD = """---
title: On the street
situation: street
order: 2
reviewed: 2026-11-26
sources: S7
---
"""


def guide(tmp_path, body: str, lang: str = "en"):
    folder = tmp_path / lang / "ru"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "street.md"
    path.write_text(HEAD + body, encoding="utf-8")
    return parse_guide(path, lang, "ru")


def test_each_section_heading_gets_an_id_and_is_listed_in_reading_order(tmp_path):
    g = guide(tmp_path, "## You are detained\n\nT.\n\n## Your *phone*\n\nT.\n\n### Detail\n\nT.\n")
    assert g.sections == (("you-are-detained", "You are detained"), ("your-phone", "Your phone"))
    assert '<h2 id="you-are-detained">You are detained</h2>' in g.html
    assert '<h2 id="your-phone">Your <em>phone</em></h2>' in g.html
    # Only sections are listed: a ### detail inside one is not a place to jump to.
    assert "<h3>Detail</h3>" in g.html


def test_a_russian_heading_keeps_its_letters_in_the_anchor(tmp_path):
    g = guide(tmp_path, "## Подошёл полицейский\n\nТ.\n", lang="ru")
    assert g.sections == (("подошёл-полицейский", "Подошёл полицейский"),)


def test_two_headings_with_the_same_words_get_different_anchors(tmp_path):
    g = guide(tmp_path, "## Phone\n\nT.\n\n## Phone\n\nT.\n\n## !!!\n\nT.\n")
    assert [anchor for anchor, _ in g.sections] == ["phone", "phone-2", "section-3"]


def test_a_guide_is_long_from_the_fourth_section(tmp_path):
    assert LONG_GUIDE_SECTIONS == 4
    three = guide(tmp_path, "".join(f"## Part {n}\n\nT.\n\n" for n in range(3)))
    four = guide(tmp_path, "".join(f"## Part {n}\n\nT.\n\n" for n in range(4)))
    assert not three.is_long
    assert four.is_long
