"""Invite a member of staff: print the single-use link that sets their password and
authenticator. `--create` makes the account first (the organisation's first administrator is
created this way: `manage.py invite admin@example.org --create --role admin`)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from habeas.accounts import invitations
from habeas.accounts.models import Role, User


class Command(BaseCommand):
    help = "Print a single-use, expiring invitation link for a staff account (by email)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--create", action="store_true", help="create the account first")
        parser.add_argument("--role", choices=Role.values, default=Role.LAWYER)

    def handle(self, email: str, create: bool, role: str, **options):
        email = email.strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None and not create:
            raise CommandError(f"No staff account {email}; add --create to make one.")
        if user is None:
            user = User.objects.create_user(email=email, password=None, role=role)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
        if not user.is_active:
            raise CommandError(f"{email} is deactivated; reactivate the account first.")
        token = invitations.issue(user)
        link = settings.HABEAS_BASE_URL + reverse("console:welcome", args=[token])
        hours = settings.HABEAS_INVITATION_HOURS
        self.stdout.write(f"Invitation for {email} (open for {hours} h, once): {link}")
