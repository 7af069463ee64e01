"""Replay a compressed 31 January 2021 into the running demo, for dispatchers in training.

Debug only, like demo_data: it fills the database with made-up detentions. Over `--minutes`
of wall-clock time it sends `--people` detainees' SOS (some with saved details, some without,
some by SMS, some from a check-in timer that ran out or was answered with the duress PIN) and
their relatives' reports (by the web page, Telegram or a call to the hotline), at the rate of
OVD-Info's running totals that day, through the real entrances; the demo lawyers answer the
worker's offers and report from the stations. Run it beside `make run`: its worker does the
dispatching, and the console fills up as it would have. Made-up names never reach the
output or the logs: lines name cases by their public id only.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from habeas.accounts.models import Role, User
from habeas.cases.management.commands.demo_data import DEMO_STAFF
from habeas.cases.models import Case, Report
from habeas.lib import geo
from habeas.ops.protestday import plan as day
from habeas.ops.protestday.lawyers import Lawyers
from habeas.ops.protestday.send import Sender
from habeas.stations.models import PoliceStation

CENTRES = {"moscow": (55.7539, 37.6208), "spb": (59.9343, 30.3351)}  # the Kremlin, Palace Sq.
CAPITAL_M = 100_000  # as the simulator: a station this close belongs to the capital's region
PROGRESS_LINES = 20  # about this many progress lines over a run


def regions() -> dict[str, list[day.StationPoint]]:
    """The demo's stations by region: near Moscow, near St Petersburg, anywhere else."""
    out: dict[str, list[day.StationPoint]] = {r: [] for r in day.REGIONS}
    for s in PoliceStation.objects.order_by("pk"):
        point = day.StationPoint(s.pk, s.lat, s.lon, s.weight)
        near = [
            r
            for r, (lat, lon) in CENTRES.items()
            if geo.distance_m(s.lat, s.lon, lat, lon) < CAPITAL_M
        ]
        out[near[0] if near else "other"].append(point)
    return out


class Command(BaseCommand):
    help = (
        "Replay a compressed 31 January 2021 (OVD-Info's arrival curve) into the demo: SOS, "
        "timers, duress PINs, relatives' reports and the demo lawyers' steps (debug only)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--minutes", type=float, default=10.0, help="wall-clock length (10)")
        parser.add_argument(
            "--people",
            type=int,
            default=300,
            help="detainees, scaled down from the day's 5,754 so a laptop copes (300)",
        )
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same day (1)")
        parser.add_argument(
            "--tick", type=float, default=0.25, help="seconds between rounds (0.25)"
        )

    def handle(self, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_protest_day fills the database with made-up detentions; "
                "it runs only with HABEAS_DEBUG=1"
            )
        minutes, people, seed = options["minutes"], options["people"], options["seed"]
        if minutes < 0 or people < 1:
            raise CommandError("--minutes must be 0 or more and --people at least 1")
        emails = [email for email, _pw, role, *_ in DEMO_STAFF if role == Role.LAWYER]
        lawyers = list(User.objects.filter(email__in=emails, is_active=True).order_by("email"))
        stations = regions()
        if not lawyers or not any(stations.values()):
            raise CommandError(
                "No demo lawyers or police stations: run `manage.py demo_data` first "
                "(make run does)"
            )
        operator = User.objects.filter(
            role=Role.DISPATCHER, email__in=[e for e, *_ in DEMO_STAFF]
        ).first()

        plan = day.make(seed, people, minutes, stations, timezone.localdate())
        start = timezone.now()
        sender = Sender(plan, operator, start)
        playing = Lawyers(lawyers, seed, sender.sent.people)
        self._intro(plan, lawyers)

        began = time.monotonic()
        duration = minutes * 60
        every = max(duration / PROGRESS_LINES, 1.0)
        steps, sent_up_to, next_line = plan.steps, 0, 0.0
        while True:
            elapsed = time.monotonic() - began
            while sent_up_to < len(steps) and steps[sent_up_to].at_s <= elapsed:
                sender.send(steps[sent_up_to], timezone.now())
                sent_up_to += 1
            for line in playing.tick(day.day_minute(plan, elapsed)):
                if options["verbosity"] >= 2:
                    self.stdout.write(f"  {line}")
            if elapsed >= next_line:
                self._progress(plan, elapsed, sender, playing, start)
                next_line += every
            if sent_up_to == len(steps) and elapsed >= duration:
                break
            self.wait(options["tick"])
        self._summary(plan, sender, playing, start)

    def wait(self, seconds: float) -> None:
        time.sleep(seconds)

    def _intro(self, plan: day.Plan, lawyers: list[User]) -> None:
        self.stdout.write(
            f"Protest day, 31 January 2021 (OVD-Info's running totals): {len(plan.people)} people "
            f"over {plan.minutes:g} min (seed {plan.seed}), {plan.count('sos')} SOS, "
            f"{plan.count('arm_timer')} check-in timers, {plan.count('duress')} duress PINs, "
            f"{plan.count('relative')} relatives' reports."
        )
        self.stdout.write(
            f"Demo lawyers on the day: {', '.join(u.email for u in lawyers)}. The worker started "
            "by `make run` offers the cases; log in to the console as dispatcher@demo.habeas."
        )

    def _progress(self, plan, elapsed: float, sender: Sender, playing: Lawyers, start) -> None:
        sent, done = sender.sent, playing.done
        opened = Case.objects.filter(created_at__gte=start)
        self.stdout.write(
            f"{elapsed:5.0f} s  {day.clock(day.day_minute(plan, elapsed))} MSK  "
            f"SOS {sent.sos} ({sent.bare} without details, {sent.sms} by SMS), "
            f"timers {sent.timers}, duress {sent.duress}, relatives {sent.relatives} · "
            f"cases {opened.count()}, waiting {opened.open().unassigned().count()} · "
            f"lawyers: {done.accepted} accepted, {done.events} steps at stations"
        )

    def _summary(self, plan, sender: Sender, playing: Lawyers, start) -> None:
        sent, done = sender.sent, playing.done
        cases = Case.objects.filter(created_at__gte=start)
        reports = Report.objects.filter(created_at__gte=start).count()
        steps = ", ".join(f"{kind} {n}" for kind, n in sorted(done.by_kind.items())) or "none"
        self.stdout.write(
            f"Done: {reports} reports made {cases.count()} cases ({sent.merged} reports joined "
            f"a case by name and date of birth); {cases.open().count()} still open. Lawyers "
            f"accepted {done.accepted} offers, declined {done.declined}, let {done.silent} run "
            f"out; steps at stations: {steps}."
        )
        self.stdout.write(
            "Timers that have not run out yet fire from the worker; names without a date of "
            "birth wait under 'Possible matches' on the case page for a dispatcher to merge."
        )
