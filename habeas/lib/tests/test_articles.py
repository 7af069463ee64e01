"""Articles as lawyers write them read into one form; anything else is not an article."""

import pytest

from habeas.lib.articles import normalize_article


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("20.2 ч. 5", "20.2 ч. 5"),
        ("ч. 5 ст. 20.2", "20.2 ч. 5"),
        ("ч.5 ст.20.2 КоАП РФ", "20.2 ч. 5"),
        ("20.2 ч.5", "20.2 ч. 5"),
        ("ст. 20.2, ч. 6.1", "20.2 ч. 6.1"),
        ("20.2 part 5", "20.2 ч. 5"),
        ("19.3", "19.3"),
        ("20.2.2", "20.2.2"),
        ("ч. 1 ст. 318 УК РФ", "УК 318 ч. 1"),
        ("УК 280.3", "УК 280.3"),
        ("212 УК", "УК 212"),
    ],
)
def test_the_usual_ways_of_writing_an_article_read_as_one(typed, kept):
    assert normalize_article(typed) == kept


@pytest.mark.parametrize("typed", ["", "hooliganism", "20.2; DROP TABLE", "ч. 5", "УК 5", "1" * 70])
def test_what_is_not_an_article_is_refused(typed):
    assert normalize_article(typed) is None
