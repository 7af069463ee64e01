"""Re-encrypt every sealed blob with the newest data key.

Safe while the service runs: rows are taken in small batches, each locked and rewritten in its
own transaction, and a row already under the newest key is skipped, so the command can be
stopped and started again at any point. Afterwards the old key can be removed from
HABEAS_DATA_KEYS.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from habeas.lib import sealing

BATCH = 200


class Command(BaseCommand):
    help = "Re-encrypt all sealed personal data with the first key in HABEAS_DATA_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, batch: int, **options):
        current = sealing.keyring().current
        total = 0
        for model, field, purpose in sealing.SEALED_FIELDS:
            done = 0
            last_pk = 0
            while True:
                with transaction.atomic():
                    rows = list(
                        model.objects.select_for_update(skip_locked=True)
                        .filter(pk__gt=last_pk, **{f"{field}__isnull": False})
                        .order_by("pk")
                        .only("pk", field)[:batch]
                    )
                    for row in rows:
                        new = sealing.reseal(bytes(getattr(row, field)), purpose)
                        if new is not None:
                            model.objects.filter(pk=row.pk).update(**{field: new})
                            done += 1
                if not rows:
                    break
                last_pk = rows[-1].pk
            self.stdout.write(f"{model._meta.label}.{field}: {done} re-encrypted")
            total += done
        for reseal_files in sealing.SEALED_FILES:
            done, left = reseal_files()
            self.stdout.write(f"{reseal_files.__module__}: {done} file pieces re-encrypted")
            if left:
                # Uploads still arriving: their pieces are rewritten only once whole.
                self.stdout.write(
                    f"{left} uploads in progress still use an older key: keep it until they "
                    "finish or are dropped (HABEAS_EVIDENCE_INCOMPLETE_HOURS), then run this again"
                )
            total += done
        self.stdout.write(f"done: {total} blobs now under key {current}")
