from django.core.management.base import BaseCommand

from habeas.cases.services import purge_due


class Command(BaseCommand):
    help = "Destroy personal data of closed cases past their retention date (for cron)."

    def handle(self, **options):
        self.stdout.write(f"{purge_due()} sealed blobs destroyed")
