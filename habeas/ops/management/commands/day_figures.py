"""Print a real day's figures in the protest-day simulator's format (docs/simulator.md), so
that a real day can be laid next to a simulated one.

The output is the simulator report's own Markdown, in English like it, and is not translated:
its headings must match the simulator's to the character.
"""

import json
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from habeas.cases.models import Kind
from habeas.stats import own


class Command(BaseCommand):
    help = "Print one day's figures (local time) in the simulator report's format."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", required=True, help="the local day, YYYY-MM-DD")
        parser.add_argument(
            "--kinds",
            default=Kind.DETENTION,
            help="kinds of case counted as detainees, comma-separated (default: detention)",
        )
        parser.add_argument("--json", action="store_true", help="print the measures as JSON")

    def handle(self, *args, **options) -> None:
        try:
            day = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError("--date must be a date as YYYY-MM-DD") from None
        kinds = tuple(k.strip() for k in options["kinds"].split(",") if k.strip())
        unknown = [k for k in kinds if k not in Kind.values]
        if not kinds or unknown:
            raise CommandError(f"--kinds: unknown kind {', '.join(unknown) or '(none)'}")
        summary = own.day_summary(day, kinds)
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(
            f"{day.isoformat()} ({settings.TIME_ZONE}): {summary['detainees']} detainees "
            f"({', '.join(kinds)}; merged cases and false alarms left out); "
            f"reached ever {summary['reached_ever']:.1%}\n"
        )
        self.stdout.write(own.day_table(summary))
        self.stdout.write(
            "\nTimes are h:mm from the SOS over all detainees (one never reached counts as "
            "infinitely late); reached = a lawyer let in. lawyers = those who took a case "
            "(the simulator's is the whole pool on duty); utilisation and dispatchers' "
            "messages are not on the timeline.\n"
        )
