"""Small counts are hidden, and so is any hidden count a total and the other cells give back."""

from habeas.stats.suppress import one_way, suppress


def test_a_count_under_the_minimum_is_hidden_and_zeros_stay_shown():
    _values, hidden = one_way({"a": 3, "b": 10, "c": 12, "d": 0}, minimum=5)
    assert "a" in hidden and "d" not in hidden


def test_one_hidden_cell_cannot_be_recovered_from_the_total():
    # total 25 - 10 - 12 = 3: the next smallest (10) must go too.
    _values, hidden = one_way({"a": 3, "b": 10, "c": 12}, minimum=5)
    assert hidden == {"a", "b"}


def test_two_hidden_cells_summing_under_the_minimum_hide_a_third():
    # 1 and 1 under a published total: the pair sums to 2, so each is 1.
    _values, hidden = one_way({"a": 1, "b": 1, "c": 7, "d": 9}, minimum=5)
    assert hidden == {"a", "b", "c"}


def test_a_table_with_nothing_small_hides_nothing():
    assert one_way({"a": 5, "b": 6}, minimum=5)[1] == set()


def test_a_small_total_is_hidden_with_its_cells():
    assert one_way({"a": 2, "b": 1}, minimum=5)[1] == {"a", "b", "total"}


def test_a_two_way_table_closes_rows_and_columns():
    # station x reason, with row, column and grand totals.
    cells = {("s1", "r1"): 2, ("s1", "r2"): 9, ("s2", "r1"): 8, ("s2", "r2"): 7}
    values = dict(cells)
    rows = {s: [k for k in cells if k[0] == s] for s in ("s1", "s2")}
    cols = {r: [k for k in cells if k[1] == r] for r in ("r1", "r2")}
    for s, parts in rows.items():
        values[s] = sum(cells[p] for p in parts)
    for r, parts in cols.items():
        values[r] = sum(cells[p] for p in parts)
    values["all"] = sum(cells.values())
    constraints = [(s, p) for s, p in rows.items()] + [(r, p) for r, p in cols.items()]
    constraints += [("all", list(rows)), ("all", list(cols))]
    hidden = suppress(values, constraints, minimum=5)
    assert ("s1", "r1") in hidden
    # Whatever is published, no constraint has exactly one unknown left.
    for total, parts in constraints:
        assert sum(m in hidden for m in [total, *parts]) != 1
