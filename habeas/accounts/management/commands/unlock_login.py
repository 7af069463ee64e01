"""Unlock a staff login that wrong passwords locked, from every network and the hourly ceiling.

Axes keeps only keyed hashes of login names, so its rows in the Django admin cannot be told
apart by a person: this command finds them by the account's email.
"""

from django.core.management.base import BaseCommand

from habeas.accounts import throttling


class Command(BaseCommand):
    help = "Lift the login lock of one staff account (by email), on every network."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, email: str, **options):
        removed = throttling.unlock(email)
        self.stdout.write(f"Unlocked; {removed} lock record(s) removed.")
