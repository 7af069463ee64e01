"""The SOS page and everything it loads fit the first-load budget (measured as bench/ does)."""

from bench.first_load import BUDGET_BYTES, measure


def test_the_sos_page_and_everything_it_loads_fit_the_first_load_budget(db):
    items = measure("/")
    paths = [item.path for item in items]
    assert any(p.endswith("sos.js") for p in paths), "the measure must include the scripts"
    assert any(p.endswith(".css") for p in paths)
    assert sum(item.gzipped for item in items) < BUDGET_BYTES
