from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from habeas.stations.services import StationFileError, import_stations


class Command(BaseCommand):
    help = "Import police stations from a CSV (id,Name,lon,lat,Address,value) or GeoJSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", help="label for this list (default: the file name)")
        parser.add_argument(
            "--city",
            help="city of the stations whose row names none (no city column, and the address "
            "gives only the street)",
        )

    def handle(self, path: Path, source: str | None, city: str | None, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            created, updated = import_stations(path, source, city)
        except StationFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{created} stations created, {updated} updated from {path.name}")
