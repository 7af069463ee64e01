"""Every app's migrations, on a database with rows in it (issue 13: upgrades run `migrate` on a
live database before the new code starts).

Forward: from empty, one of our migrations at a time, each model given a real row as soon as
its table exists (habeas/tests/migrating.py), so that every later migration runs over the
rows of the schema before it and must keep them. The data migrations must leave what the
code now looks up. Backward: each migration that declares a reverse is undone, one at a time
over those rows, and the whole chain then runs forward again from empty.
"""

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from habeas.cases.services import stored_key_of
from habeas.lib.keyed import keyed_hash

from .migrating import CLEAR_SOS_KEY, CLEAR_TIMER_KEY, fill, one, our_apps, tables

OURS = our_apps()


def plan() -> list:
    """Our migrations from empty to now, in the order `migrate` applies them."""
    graph = MigrationLoader(None).graph  # the files alone, not what a database has applied
    seen, ordered = set(), []
    for leaf in graph.leaf_nodes():
        for node in graph.forwards_plan(leaf):  # every node before the leaf, in order
            if node not in seen and node[0] in OURS:
                seen.add(node)
                ordered.append(graph.nodes[node])
    return ordered


def migrate(targets):
    """Migrate to `targets` with a loader that sees what is applied now; the state after."""
    return MigrationExecutor(connection).migrate(targets)


def back_to_now() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def read_through_todays_models() -> None:
    """Every column today's models expect is there: each of our tables read in full."""
    for label in tables(current_apps, OURS):
        list(current_apps.get_model(label).objects.all())


@pytest.mark.django_db(transaction=True)
def test_each_migration_runs_forward_over_the_rows_of_the_schema_before_it():
    migrate([(label, None) for label in OURS])
    try:
        made: dict[str, int] = {}
        for migration in plan():
            state = migrate([(migration.app_label, migration.name)])
            for label, count in made.items():
                rows = state.apps.get_model(label).objects.count()
                assert rows == count, f"{migration.app_label}.{migration.name} lost {label} rows"
            fill(state.apps, OURS, made)
        assert set(made) == set(tables(current_apps, OURS)), "a model never got its row"
        read_through_todays_models()

        # The data migrations: clear keys became the keyed hashes the code looks up, or every
        # retry of an SOS in flight during the upgrade would open a second case.
        from habeas.cases.models import Case, Report
        from habeas.timers.models import CheckInTimer

        assert Report.objects.get().idempotency_key == stored_key_of(CLEAR_SOS_KEY)
        assert CheckInTimer.objects.get().idempotency_key == keyed_hash(
            "timer-key", CLEAR_TIMER_KEY
        )
        # Columns added later gave the old rows what the code reads them as.
        case = Case.objects.get()
        assert (case.origin, case.near_station_id, case.public_id) == ("sos", None, "MIGRATE234")
        assert Report.objects.get().name_index == ""
    finally:
        back_to_now()


def test_every_migration_of_ours_declares_how_it_is_undone():
    """Guards against: an upgrade that cannot be rolled back found out on the day."""
    one_way = [
        f"{m.app_label}.{m.name}"
        for m in plan()
        if not all(operation.reversible for operation in m.operations)
    ]
    assert one_way == []


@pytest.mark.django_db(transaction=True)
def test_the_migrations_undo_one_at_a_time_over_rows_and_run_again_from_empty():
    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(executor.loader.graph.leaf_nodes())
    fill(state.apps, OURS, {})
    chain = plan()
    try:
        for migration in reversed(chain):
            parents = [p for p in migration.dependencies if p[0] == migration.app_label]
            migrate([(migration.app_label, parents[0][1] if parents else None)])
        applied = MigrationExecutor(connection).loader.applied_migrations
        assert not [key for key in applied if key[0] in OURS], "left applied after undoing all"
        back_to_now()
        read_through_todays_models()
        made: dict[str, int] = {}
        fill(current_apps, OURS, made)
        assert one(current_apps, "cases.Case").public_id == "MIGRATE234"
    finally:
        back_to_now()
