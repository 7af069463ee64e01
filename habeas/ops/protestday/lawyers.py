"""The demo lawyers' side of the day: answer offers, then go to the station and report.

Each lawyer answers an offer after a minute or two, or declines, or lets it run out (as the
simulator assumes: 10 % each); a case they hold follows a story through dispatch.act — on the
way, at the station, where the person is held, refused entry (with a reason) and let in on a
later try, sometimes moved to another station, a protocol, sometimes a court date, released,
closed — each step in minutes of the compressed day. The stories are drawn from the seed and
the person (or, for a case a dispatcher gave them, the case), so a replay tells them alike.
Cases a trainee assigns by hand to a demo lawyer are played the same way.
"""

# ruff: noqa: S311 - seeded random.Random streams: a replayable day, not secrets

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from habeas.accounts.models import User
from habeas.cases.models import Case, RefusalReason
from habeas.dispatch import services as dispatch
from habeas.dispatch.models import Offer
from habeas.lib import geo
from habeas.lib.refusals import Refusal
from habeas.stations.models import PoliceStation

log = logging.getLogger(__name__)

DECLINE_SHARE, SILENT_SHARE = 0.1, 0.1
ANSWER_MIN = (0.5, 3)
REFUSED_SHARE = 0.3  # per try at the door; refusals were common on 31 January 2021
TRIES_AT_DOOR = 3
MOVED_SHARE = 0.12
PROTOCOL_SHARE = 0.6
COURT_DATE_SHARE = 0.15
ARTICLES = ["20.2 ч. 5", "20.2 ч. 6.1", "20.2.2 ч. 1", "20.6.1 ч. 1"]


@dataclass
class Story:
    """What is left for one case: (minute of the day, action, inputs), soonest first."""

    steps: list[tuple[float, str, dict]] = field(default_factory=list)


def story(rng: random.Random, now_min: float, case: Case, stations: list[PoliceStation]) -> Story:
    """Draw one case's steps from the moment a lawyer takes it."""
    t = now_min + rng.uniform(2, 6)
    steps: list[tuple[float, str, dict]] = [(t, "en_route", {})]
    t += 10 + rng.uniform(5, 35)
    steps.append((t, "at_station", {}))
    here = case.place or (rng.choice(stations) if stations else None)
    if here is not None and case.police_station_id is None:
        steps.append((t + 1, "held_at", {"station": here}))
    for attempt in range(TRIES_AT_DOOR):
        t += rng.uniform(3, 12)
        if attempt < TRIES_AT_DOOR - 1 and rng.random() < REFUSED_SHARE:
            reason = rng.choice(RefusalReason.values)
            steps.append((t, "refused_entry", {"inputs": {"reason": reason}}))
            t += 20  # waiting at the door before trying again
            continue
        steps.append((t, "admitted", {}))
        break
    elsewhere = [s for s in stations if here is None or s.pk != here.pk]
    if elsewhere and rng.random() < MOVED_SHARE:
        t += rng.uniform(10, 40)
        # Moved to the nearest other station, as the police move people when one is full.
        moved_to = min(elsewhere, key=lambda s: _distance(s, here)) if here else elsewhere[0]
        steps.append((t, "transferred", {"station": moved_to}))
    protocol = rng.random() < PROTOCOL_SHARE
    if protocol:
        t += rng.uniform(10, 40)
        steps.append((t, "protocol", {"inputs": {"article": rng.choice(ARTICLES)}}))
    if protocol and rng.random() < COURT_DATE_SHARE:
        when = timezone.localdate() + timedelta(days=rng.randint(1, 14))
        steps.append((t + 1, "court_date", {"inputs": {"court_date": when}}))
    t += rng.triangular(10, 60, 20)
    steps.append((t, "released", {"inputs": {"with_protocol": protocol}}))
    steps.append((t + rng.uniform(3, 10), "close", {}))
    return Story(steps)


def _distance(a: PoliceStation, b: PoliceStation) -> float:
    return geo.distance_m(a.lat, a.lon, b.lat, b.lon)


@dataclass
class Done:
    accepted: int = 0
    declined: int = 0
    silent: int = 0
    events: int = 0  # steps recorded at stations, through dispatch.act
    refused: int = 0  # steps dispatch refused (a trainee moved the case meanwhile)
    by_kind: dict[str, int] = field(default_factory=dict)


class Lawyers:
    def __init__(self, users: list[User], seed: int, people: dict[int, int]) -> None:
        self.users = users
        self.seed = seed
        self.people = people  # case pk -> person index, for the cases this run opened
        self.stories: dict[int, Story] = {}
        self.answers: dict[int, tuple[float, str]] = {}  # offer pk -> (minute, answer)
        self.silent: set[int] = set()  # offers left to run out, counted once
        self.done = Done()
        self.stations = list(PoliceStation.objects.all())

    def _rng(self, what: str, case: Case) -> random.Random:
        who = self.people.get(case.pk)
        return random.Random(f"{self.seed}-{what}-{who if who is not None else case.public_id}")

    def tick(self, now_min: float) -> list[str]:
        """Do what is due at this minute of the day; return a line per step, naming nobody."""
        lines = []
        for user in self.users:
            lines += self._answer(user, now_min)
            lines += self._advance(user, now_min)
        return lines

    def _answer(self, user: User, now_min: float) -> list[str]:
        lines = []
        for offer in Offer.objects.pending().filter(lawyer=user).select_related("case"):
            if offer.pk not in self.answers:
                rng = self._rng(f"offer-{user.pk}", offer.case)
                draw = rng.random()
                answer = "accept"
                if draw < DECLINE_SHARE:
                    answer = "decline"
                elif draw < DECLINE_SHARE + SILENT_SHARE:
                    answer = "silent"
                self.answers[offer.pk] = (now_min + rng.uniform(*ANSWER_MIN), answer)
            due, answer = self.answers[offer.pk]
            if answer == "silent":
                # Never answered: the offer's own deadline passes it on (dispatch.expire).
                if offer.pk not in self.silent:
                    self.silent.add(offer.pk)
                    self.done.silent += 1
                continue
            if now_min < due:
                continue
            try:
                if answer == "accept":
                    dispatch.accept(offer.pk, user)
                    self.done.accepted += 1
                else:
                    dispatch.decline(offer.pk, user)
                    self.done.declined += 1
            except Refusal:
                self.done.refused += 1
                continue
            lines.append(f"{user.email}: {answer}ed the offer of case {offer.case.public_id}")
        return lines

    def _advance(self, user: User, now_min: float) -> list[str]:
        lines = []
        for case in Case.objects.assigned_to(user).select_related("police_station", "near_station"):
            if case.pk not in self.stories:
                self.stories[case.pk] = story(
                    self._rng("story", case), now_min, case, self.stations
                )
            plot = self.stories[case.pk]
            while plot.steps and plot.steps[0][0] <= now_min:
                _at, action, extra = plot.steps.pop(0)
                fresh = Case.objects.get(pk=case.pk)
                try:
                    dispatch.act(fresh, action, user, **extra)
                except Refusal as exc:
                    # A trainee changed the case meanwhile (reassigned, closed): stop its story.
                    log.info(
                        "demo: case %s left its story at %s (%s)", case.public_id, action, exc.code
                    )
                    self.done.refused += 1
                    plot.steps.clear()
                    break
                self.done.events += 1
                self.done.by_kind[action] = self.done.by_kind.get(action, 0) + 1
                where = extra.get("station")
                lines.append(
                    f"{user.email}: {action} on case {case.public_id}"
                    + (f" ({where.name})" if where is not None else "")
                )
        return lines
