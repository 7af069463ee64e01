"""`manage.py backup`: write an encrypted copy of the database (docs/deploy.md, Backups)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from habeas.ops import backup


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump, or the SQLite file) encrypted to an age public key "
        "whose secret key is kept off this server."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Directory for the backup file (default: HABEAS_BACKUP_DIR).",
        )
        parser.add_argument(
            "--recipient", default=None, help="age public key (default: HABEAS_BACKUP_RECIPIENT)."
        )

    def handle(self, *, output: Path | None, recipient: str | None, **options) -> None:
        try:
            path = backup.write(
                output or Path(settings.HABEAS_BACKUP_DIR),
                recipient if recipient is not None else settings.HABEAS_BACKUP_RECIPIENT,
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
