"""Keep only keyed hashes of idempotency keys: a clear key derives the case's status token."""

from django.db import migrations


def hash_keys(apps, schema_editor):
    from habeas.lib.keyed import keyed_hash
    from habeas.lib.smscodec import reference

    Report = apps.get_model("cases", "Report")
    for report in Report.objects.exclude(idempotency_key__startswith="forgotten-").iterator():
        key = report.idempotency_key
        # A key stored before this migration is the client's own (or the SMS's, which was the
        # app's key then): hash its reference as cases.services.stored_key now does.
        report.idempotency_key = keyed_hash("sos-reference", reference(key))
        report.save(update_fields=["idempotency_key"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_near")]

    operations = [migrations.RunPython(hash_keys, migrations.RunPython.noop, elidable=True)]
