"""Keep only keyed hashes of timers' idempotency keys: a clear key derives the timer's token."""

from django.db import migrations


def hash_keys(apps, schema_editor):
    from habeas.lib.keyed import keyed_hash

    CheckInTimer = apps.get_model("timers", "CheckInTimer")
    for timer in CheckInTimer.objects.iterator():
        timer.idempotency_key = keyed_hash("timer-key", timer.idempotency_key)
        timer.save(update_fields=["idempotency_key"])


class Migration(migrations.Migration):
    dependencies = [("timers", "0001_initial")]

    operations = [migrations.RunPython(hash_keys, migrations.RunPython.noop, elidable=True)]
