"""Search finds guides however the words are typed, and puts title hits first."""

from habeas.guides import rank, search

from .test_format import GOOD_HEAD, write


def make(tmp_path, slug: str, order: int, title: str, body: str) -> None:
    head = (
        GOOD_HEAD.replace("police-station", slug)
        .replace("order: 4", f"order: {order}")
        .replace("В отделе полиции", title)
    )
    write(tmp_path, head + body, name=f"{slug}.md")


def test_search_ignores_case_and_treats_yo_as_ye(tmp_path):
    make(tmp_path, "court", 1, "В суде", "Попросите её копию.\n")
    make(tmp_path, "van", 2, "В автозаке", "Запишите номер автозака.\n")
    assert [g.slug for g in search("ru", "ЕЕ КОПИЮ", root=tmp_path)] == ["court"]
    assert [g.slug for g in search("ru", "АВТОЗАКЕ", root=tmp_path)] == ["van"]


def test_more_mentions_in_the_text_rank_higher_when_titles_tie(tmp_path):
    make(tmp_path, "street", 1, "На улице", "Жалоба.\n")
    make(tmp_path, "after-release", 9, "После", "Жалоба. Жалобу подают. Жалоба на арест.\n")
    assert [g.slug for g in search("ru", "жалоба", root=tmp_path)] == ["after-release", "street"]


def test_a_word_in_the_title_ranks_above_a_word_in_the_text(tmp_path):
    make(tmp_path, "before-protest", 1, "Перед акцией", "Возьмите паспорт. Адвокат.\n")
    make(tmp_path, "court", 9, "Адвокат в суде", "Текст.\n")
    assert [g.slug for g in search("ru", "адвокат", root=tmp_path)] == ["court", "before-protest"]


def test_every_word_of_the_query_must_be_found(tmp_path):
    make(tmp_path, "search", 1, "Досмотр", "Пароль от телефона.\n")
    make(tmp_path, "street", 2, "На улице", "Телефон.\n")
    assert [g.slug for g in search("ru", "телефон пароль", root=tmp_path)] == ["search"]


def test_an_inflected_word_finds_its_base_form(tmp_path):
    make(tmp_path, "witness", 1, "Допрос", "Возьмите адвокат с собой.\n")
    assert [g.slug for g in search("ru", "адвоката", root=tmp_path)] == ["witness"]


def test_an_empty_or_punctuation_only_query_finds_nothing(tmp_path):
    make(tmp_path, "court", 1, "В суде", "Текст.\n")
    assert search("ru", "", root=tmp_path) == []
    assert search("ru", " ?! ", root=tmp_path) == []
    assert rank([], "суд") == []


def test_the_shipped_guides_answer_real_questions():
    assert search("ru", "статьей 51")  # typed without "ё"
    assert search("ru", "телефон пароль")[0].slug in {"search", "street", "before-protest"}
    assert search("en", "appeal")[0].slug == "after-release"
    assert search("ru", "обжалование")[0].slug == "after-release"
    assert search("ru", "распознавание")[0].slug == "face-recognition"
