"""A broken guide fails loudly, naming its file and field; whatever it holds is rendered safely."""

import pytest

from habeas.guides import GuideError, load_guides
from habeas.guides.loader import parse_guide

GOOD_HEAD = """---
title: В отделе полиции
situation: police-station
order: 4
reviewed: 2026-11-26
sources: S2, S7
---
"""


def write(tmp_path, text: str, name: str = "police-station.md"):
    folder = tmp_path / "ru" / "ru"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path, text: str, name: str = "police-station.md") -> GuideError:
    path = write(tmp_path, text, name)
    with pytest.raises(GuideError) as caught:
        parse_guide(path, "ru", "ru")
    assert str(path) in str(caught.value)
    return caught.value


def test_a_good_guide_is_parsed_into_its_fields(tmp_path):
    path = write(tmp_path, GOOD_HEAD + "## Главное\n\nТри часа (ч. 1 ст. 27.5 КоАП).\n")
    guide = parse_guide(path, "ru", "ru")
    assert guide.slug == guide.situation == "police-station"
    assert guide.order == 4
    assert guide.reviewed.isoformat() == "2026-11-26"
    assert guide.sources == ["S2", "S7"]
    assert guide.reviewer == ""
    assert guide.html == '<h2 id="главное">Главное</h2>\n<p>Три часа (ч. 1 ст. 27.5 КоАП).</p>\n'
    assert guide.sections == (("главное", "Главное"),)
    assert guide.text == "Главное\nТри часа (ч. 1 ст. 27.5 КоАП)."


def test_a_missing_title_is_named(tmp_path):
    err = error_for(tmp_path, GOOD_HEAD.replace("title: В отделе полиции\n", "") + "Текст.\n")
    assert err.field == "title"


def test_an_empty_title_is_named(tmp_path):
    err = error_for(tmp_path, GOOD_HEAD.replace("title: В отделе полиции", "title:") + "Текст.\n")
    assert err.field == "title"


@pytest.mark.parametrize("bad", ["26.11.2026", "2026-02-30", "soon", "2026-11-26T10:00"])
def test_a_bad_review_date_is_named(tmp_path, bad):
    err = error_for(tmp_path, GOOD_HEAD.replace("2026-11-26", bad) + "Текст.\n")
    assert err.field == "reviewed"
    assert bad in str(err)


def test_an_unknown_key_is_named(tmp_path):
    err = error_for(tmp_path, GOOD_HEAD.replace("order: 4", "order: 4\nauthor: Anna") + "Т.\n")
    assert err.field == "author"
    assert "unknown key" in str(err)


def test_a_key_given_twice_is_named(tmp_path):
    err = error_for(tmp_path, GOOD_HEAD.replace("order: 4", "order: 4\norder: 5") + "Т.\n")
    assert err.field == "order"


def test_an_order_that_is_not_a_number_is_named(tmp_path):
    err = error_for(tmp_path, GOOD_HEAD.replace("order: 4", "order: fourth") + "Т.\n")
    assert err.field == "order"


def test_a_situation_that_differs_from_the_file_name_is_named(tmp_path):
    err = error_for(tmp_path, GOOD_HEAD + "Т.\n", name="court.md")
    assert err.field == "situation"


def test_an_empty_source_list_is_named(tmp_path):
    err = error_for(tmp_path, GOOD_HEAD.replace("S2, S7", ", ,") + "Т.\n")
    assert err.field == "sources"


def test_a_file_without_front_matter_is_refused(tmp_path):
    assert error_for(tmp_path, "## Главное\n").field == "front-matter"


def test_an_unclosed_front_matter_is_refused(tmp_path):
    assert error_for(tmp_path, GOOD_HEAD.rstrip("-\n") + "\nТекст.\n").field == "front-matter"


def test_a_line_without_a_colon_is_refused(tmp_path):
    err = error_for(tmp_path, GOOD_HEAD.replace("order: 4", "order 4") + "Т.\n")
    assert err.field == "line 4"


def test_a_guide_without_text_is_refused(tmp_path):
    assert error_for(tmp_path, GOOD_HEAD + "\n\n").field == "body"


def test_a_file_name_that_is_not_a_slug_is_refused(tmp_path):
    head = GOOD_HEAD.replace("situation: police-station", "situation: Police_Station")
    assert error_for(tmp_path, head + "Т.\n", name="Police_Station.md").field == "file name"


def test_one_broken_file_breaks_the_whole_folder(tmp_path):
    # A half-loaded set would hide a guide from someone who needs it; fail the deploy instead.
    write(tmp_path, GOOD_HEAD + "Т.\n")
    write(tmp_path, GOOD_HEAD.replace("police-station", "court") + "Т.\n", name="court.md")
    write(tmp_path, "no front matter\n", name="van.md")
    with pytest.raises(GuideError, match=r"van\.md"):
        load_guides("ru", root=tmp_path)


def test_raw_html_in_a_guide_is_shown_as_text_not_run(tmp_path):
    body = '<script>alert(1)</script>\n\nТекст <img src=x onerror="alert(1)">.\n'
    guide = parse_guide(write(tmp_path, GOOD_HEAD + body), "ru", "ru")
    assert "<script" not in guide.html
    assert "<img" not in guide.html
    assert "&lt;script&gt;" in guide.html


def test_script_links_are_not_rendered_as_links(tmp_path):
    body = "[позвонить](javascript:alert(1)) и [адвокат](https://example.org/)\n"
    guide = parse_guide(write(tmp_path, GOOD_HEAD + body), "ru", "ru")
    assert "javascript:" not in guide.html.replace("[позвонить](javascript:", "")
    assert 'href="javascript' not in guide.html
    assert '<a href="https://example.org/">адвокат</a>' in guide.html


def test_guides_are_sorted_by_order_then_slug(tmp_path):
    for slug, order in [("van", 3), ("street", 2), ("court", 2)]:
        head = GOOD_HEAD.replace("police-station", slug).replace("order: 4", f"order: {order}")
        write(tmp_path, head + "Т.\n", name=f"{slug}.md")
    assert [g.slug for g in load_guides("ru", root=tmp_path)] == ["court", "street", "van"]
