"""`manage.py restore FILE --identity KEYFILE`: load a backup into a fresh, empty database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from habeas.ops import backup


class Command(BaseCommand):
    help = (
        "Decrypt a backup with the age secret key and load it into the configured database, "
        "which must be empty. A backup older than HABEAS_RETENTION_DAYS is refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--identity", type=Path, required=True, help="File with the age secret key."
        )
        parser.add_argument(
            "--accept-expired",
            action="store_true",
            help=(
                "Restore a backup older than the retention period anyway; run "
                "`manage.py purge_expired` at once afterwards."
            ),
        )

    def handle(self, *, file: Path, identity: Path, accept_expired: bool, **options) -> None:
        try:
            opened = backup.open_backup(file, backup.identity(identity))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        try:
            days = settings.HABEAS_RETENTION_DAYS
            if backup.too_old(opened.created):
                if not accept_expired:
                    raise CommandError(
                        f"This backup was made {opened.created:%Y-%m-%d %H:%M} UTC, more than "
                        f"HABEAS_RETENTION_DAYS ({days}) days ago: it may hold personal data "
                        "the purge has destroyed since. Nothing was restored. Use a newer "
                        "backup, or --accept-expired and then `manage.py purge_expired`."
                    )
                self.stderr.write(
                    f"Warning: this backup is older than {days} days; run "
                    "`manage.py purge_expired` now."
                )
            backup.restore(opened)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            opened.dump.unlink(missing_ok=True)
        self.stdout.write(f"Restored the backup of {opened.created:%Y-%m-%d %H:%M} UTC.")
