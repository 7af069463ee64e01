"""Load the demo: staff logins, the 2013 station sample and an anonymous sample day for the
open statistics. Debug only, safe to run twice."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from habeas.accounts import invitations, twofactor
from habeas.accounts.models import Role, User
from habeas.cases.demo_sample import DAY, add_sample_day
from habeas.lawyers.models import Lawyer
from habeas.stations.services import DEMO_FILE, import_stations

# Fixed so that the README and `make run` can print them; refused outside debug.
DEMO_STAFF = [
    ("dispatcher@demo.habeas", "demo-dispatcher-2021", Role.DISPATCHER, "Дина", "Диспетчер"),
    ("lawyer1@demo.habeas", "demo-lawyer1-2021", Role.LAWYER, "Анна", "Адвокатова"),
    ("lawyer2@demo.habeas", "demo-lawyer2-2021", Role.LAWYER, "Борис", "Защитников"),
    ("lawyer3@demo.habeas", "demo-lawyer3-2021", Role.LAWYER, "Вера", "Правова"),
]
# Where the demo lawyers work from: central Moscow, the north-east, St Petersburg.
DEMO_BASES = {
    "lawyer1@demo.habeas": (55.7558, 37.6173, 20),
    "lawyer2@demo.habeas": (55.8100, 37.6400, 20),
    "lawyer3@demo.habeas": (59.9386, 30.3141, 25),
}


class Command(BaseCommand):
    help = "Create demo staff and import the 2013 OVD-Info station sample (debug only)."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_data creates known passwords; it runs only with HABEAS_DEBUG=1"
            )
        with transaction.atomic():
            for email, password, role, first, last in DEMO_STAFF:
                user, _ = User.objects.get_or_create(
                    email=email,
                    defaults={
                        "username": email,
                        "role": role,
                        "first_name": first,
                        "last_name": last,
                    },
                )
                user.set_password(password)
                user.role = role
                user.save()
                if role == Role.LAWYER:
                    lat, lon, radius = DEMO_BASES[email]
                    Lawyer.objects.update_or_create(
                        user=user,
                        defaults={
                            "on_duty": True,
                            "base_lat": lat,
                            "base_lon": lon,
                            "radius_km": radius,
                        },
                    )
            created, updated = import_stations(DEMO_FILE, "ovdinfo-2013")
            sample = add_sample_day()
        self.stdout.write(
            f"Police stations: {created + updated} from OVD-Info's 2013 list "
            f"({created} new). Demo staff logins:"
        )
        if sample:
            self.stdout.write(
                f"Open statistics: {sample} anonymous closed cases on {DAY:%d %b %Y} (/stats/)."
            )
        for email, password, role, *_ in DEMO_STAFF:
            self.stdout.write(f"login: {email} password: {password}   ({role})")
        # An authenticator is set up only through an invitation, even in the demo.
        self.stdout.write("First login of each (sets up the authenticator app; open once):")
        for email, *_ in DEMO_STAFF:
            user = User.objects.get(email=email)
            if not twofactor.has_device(user):
                token = invitations.issue(user)
                link = settings.HABEAS_BASE_URL + reverse("console:welcome", args=[token])
                self.stdout.write(f"  {email}: {link}")
