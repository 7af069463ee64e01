"""The migrations that stopped storing idempotency keys in clear, run forward on real rows.

A database from before them holds clear keys; after them it must hold exactly what the code
now looks up (a keyed hash), or every retry of an SOS in flight would open a second case.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from habeas.cases.services import stored_key_of
from habeas.lib.keyed import keyed_hash

BEFORE = [("cases", "0002_near"), ("timers", "0001_initial")]
AFTER = [("cases", "0003_hash_idempotency_keys"), ("timers", "0002_hash_idempotency_keys")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_clear_keys_become_the_keyed_hashes_the_code_looks_up():
    old = migrate(BEFORE)
    Case = old.get_model("cases", "Case")
    Report = old.get_model("cases", "Report")
    Timer = old.get_model("timers", "CheckInTimer")
    case = Case.objects.create(public_id="MIGRATE234")
    Report.objects.create(
        case=case, idempotency_key="app-key-0001", status_token_hash="t" * 64, fingerprint="f"
    )
    Timer.objects.create(
        token_hash="h" * 64,
        idempotency_key="timer-key-0001",
        fingerprint="f",
        pin_hash="x",
        duress_hash="y",
        deadline=timezone.now(),
    )
    try:
        new = migrate(AFTER)
        report = new.get_model("cases", "Report").objects.get()
        timer = new.get_model("timers", "CheckInTimer").objects.get()
        assert report.idempotency_key == stored_key_of("app-key-0001")
        assert timer.idempotency_key == keyed_hash("timer-key", "timer-key-0001")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
