"""The stack test (test_whole_stack) runs only when asked for by name: `make test-stack`,
which passes `-m stack`. It takes minutes and restarts the machine's PostgreSQL, so the
suite, and CI's PostgreSQL pass with its own -m, leave it out."""


def pytest_collection_modifyitems(config, items) -> None:
    if "stack" in (config.option.markexpr or ""):
        return
    left_out = [item for item in items if item.get_closest_marker("stack")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("stack")]
