"""The police speak Russian: an English guide gives, beside every phrase to say, the Russian
sentence to say aloud, marked lang="ru" so a screen reader reads it in a Russian voice."""

import re

import pytest

from habeas.guides import GuideError, get_guide, load_guides
from habeas.guides.loader import parse_guide

HEAD = """---
title: On the street
situation: street
order: 2
reviewed: 2026-11-26
sources: S7
---
## You are detained

"""
ENGLISH_PHRASE = re.compile(r"<strong>&quot;(?P<en>[^<]+)&quot;</strong>(?P<after>.{0,300})")
BESIDE = re.compile(r'^ — <strong lang="ru" class="say-police">«(?P<ru>[^»<]+)»</strong>')


def english(tmp_path, body: str):
    folder = tmp_path / "en" / "ru"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "street.md"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_a_phrase_is_shown_with_its_russian_sentence_marked_as_russian(tmp_path):
    path = english(tmp_path, '- Say: **"I need a lawyer"** — **«Мне нужен адвокат»** (Art. 48).\n')
    html = parse_guide(path, "en", "ru").html
    assert (
        "<strong>&quot;I need a lawyer&quot;</strong> — "
        '<strong lang="ru" class="say-police">«Мне нужен адвокат»</strong> (Art. 48).'
    ) in html


@pytest.mark.parametrize(
    "line",
    [
        '- Say: **"I need a lawyer"** (Art. 48).',
        '- Say: **"I need a lawyer"** — ask for one.',
        '- Say: **"I need a lawyer"** **«Мне нужен адвокат»**.',
        '- Say: **"I need a lawyer"** — «Мне нужен адвокат».',
    ],
)
def test_an_english_phrase_without_its_russian_sentence_fails_the_guide(tmp_path, line):
    with pytest.raises(GuideError) as caught:
        parse_guide(english(tmp_path, line + "\n"), "en", "ru")
    assert caught.value.field == "phrase"
    assert '"I need a lawyer"' in str(caught.value)


def test_a_russian_guide_needs_no_second_language(tmp_path):
    folder = tmp_path / "ru" / "ru"
    folder.mkdir(parents=True)
    path = folder / "street.md"
    path.write_text(HEAD + "- Скажите: **«Мне нужен адвокат»**.\n", encoding="utf-8")
    html = parse_guide(path, "ru", "ru").html
    assert "<strong>«Мне нужен адвокат»</strong>" in html


def test_every_phrase_in_the_shipped_english_guides_has_the_russian_twins_sentence_beside_it():
    checked = 0
    for guide in load_guides("en"):
        russian = get_guide("ru", guide.slug).text
        for found in ENGLISH_PHRASE.finditer(guide.html):
            beside = BESIDE.match(found["after"])
            assert beside, f"{guide.slug}: {found['en']!r} has no Russian sentence beside it"
            # The same words as the Russian guide's, so the two never drift apart.
            assert f"«{beside['ru']}»" in russian, f"{guide.slug}: {beside['ru']!r}"
            checked += 1
    assert checked >= 30
