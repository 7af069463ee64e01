"""The name index: one person's name in two spellings matches, and never a blind index."""

from habeas.lib.sealing import blind_index, name_index


def test_two_spellings_of_one_name_give_the_same_name_index():
    assert name_index("k", "Фёдор  Петров") == name_index("k", "петров федор")
    assert name_index("k", "Фёдор Петров") != name_index("k", "Фёдор Петрович")


def test_the_name_index_depends_on_the_key_and_is_empty_for_no_name():
    assert name_index("k", "Фёдор Петров") != name_index("other", "Фёдор Петров")
    assert name_index("k", "  ") == ""


def test_the_name_index_is_never_a_blind_index_of_the_same_name():
    # Another purpose: a name index cannot be compared with the blind index of any date.
    assert name_index("k", "Фёдор Петров") != blind_index("k", "Фёдор Петров", "")
    assert name_index("k", "Фёдор Петров") != blind_index("k", "name-index", "петров федор")
