"""The part both arms share: the clock, and what a lawyer does once a case is theirs.

An arm decides only *who* gets a case and *when* (Habeas through the real policy, the baseline
through a hotline). From the moment a case is assigned, the same code runs for both: the lawyer
travels, is admitted or refused at the door, spends time with the detainee, and becomes free.

A lawyer is at one place at a time. They hold up to `capacity` cases (plus open offers); cases at
the station where they are go first, then they travel to the station of their oldest case. Every
case of theirs at a station is seen in one visit, one detainee after another.
"""

import heapq
import itertools
from dataclasses import dataclass, field

from bench.simulator.world import Detainee, LawyerHome, Station, World, km

WAITING, OFFERED, ASSIGNED, DONE, DROPPED = "waiting", "offered", "assigned", "done", "dropped"


@dataclass
class Case:
    d: Detainee
    status: str = WAITING
    lawyer: "Lawyer | None" = None
    en_route: float | None = None  # a lawyer is on the way to (or already at) their station
    at_station: float | None = None  # that lawyer reached the station
    reached: float | None = None  # that lawyer was let in to see them
    attempts: int = 0
    tried: set[int] = field(default_factory=set)  # lawyers offered it (Habeas)
    escalated: bool = False
    escalated_at: float | None = None
    by_hand: bool = False  # a dispatcher's case: coverage no longer matters


@dataclass
class Lawyer:
    home: LawyerHome
    capacity: int
    lat: float
    lon: float
    station: Station | None = None  # where they are now, if at a station
    heading: Station | None = None  # where they are travelling to
    cases: list[Case] = field(default_factory=list)  # assigned, not finished, oldest first
    offers: int = 0
    doing: str | None = None  # None = free to take the next step; "travel" or "visit"
    busy_since: float | None = None
    busy: list[tuple[float, float]] = field(default_factory=list)  # spans with a case in hand
    free_since: float = 0.0  # when load last dropped: the baseline's first-free order
    max_load: int = 0
    changed: int = 0  # bumped on any change, so an arm can cache what it derives

    @property
    def id(self) -> int:
        return self.home.id

    @property
    def city(self) -> int:
        return self.home.city

    @property
    def load(self) -> int:
        return len(self.cases) + self.offers


class Sim:
    """One arm's run over a world. Subclasses implement sos() and freed()."""

    name = "arm"

    def __init__(self, world: World) -> None:
        self.world = world
        self.p = world.params
        self.now = 0.0
        self._events: list = []
        self._seq = itertools.count()
        self.cases = [Case(d) for d in world.detainees]
        self.lawyers = [Lawyer(h, self.p.capacity, h.lat, h.lon) for h in world.lawyers]
        self.by_city: dict[int, list[Lawyer]] = {c.index: [] for c in world.cities}
        for lawyer in self.lawyers:
            self.by_city[lawyer.city].append(lawyer)
        self.counts: dict[str, int] = {}

    # --- the clock -------------------------------------------------------------------------
    def at(self, t: float, fn, *args) -> None:
        heapq.heappush(self._events, (t, next(self._seq), fn, args))

    def run(self) -> "Sim":
        for case in self.cases:
            self.at(case.d.t, self._sos, case)
            self.at(case.d.t + self.p.give_up_h * 60, self._give_up, case)
        while self._events:
            self.now, _, fn, args = heapq.heappop(self._events)
            fn(*args)
        return self

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def _sos(self, case: Case) -> None:
        self.sos(case)

    def _give_up(self, case: Case) -> None:
        if case.status == WAITING:
            case.status = DROPPED
            self.count("dropped_unassigned")

    def expired(self, case: Case) -> bool:
        """Drop a case that waited past give_up_h for a lawyer; return whether it is gone."""
        if case.status == WAITING and self.now >= case.d.t + self.p.give_up_h * 60:
            self._give_up(case)
        return case.status == DROPPED

    # --- what arms implement ---------------------------------------------------------------
    def sos(self, case: Case) -> None:
        raise NotImplementedError

    def freed(self, lawyer: Lawyer) -> None:
        """React to a lawyer who closed a case and so has room for another."""
        raise NotImplementedError

    def moved(self, lawyer: Lawyer) -> None:
        """React to a lawyer reaching a station (only matters to an arm that tracks position)."""

    # --- load ------------------------------------------------------------------------------
    def touch(self, lawyer: Lawyer) -> None:
        lawyer.changed += 1
        lawyer.max_load = max(lawyer.max_load, lawyer.load)
        if lawyer.load > lawyer.capacity:
            raise AssertionError(f"lawyer {lawyer.id} over capacity at {self.now:.1f}")

    def open_offer(self, lawyer: Lawyer) -> None:
        lawyer.offers += 1
        self.touch(lawyer)

    def close_offer(self, lawyer: Lawyer) -> None:
        lawyer.offers -= 1
        lawyer.free_since = self.now
        self.touch(lawyer)

    # --- from assignment on: the same for both arms ----------------------------------------
    def assign(self, case: Case, lawyer: Lawyer, from_offer: bool = False) -> None:
        """Give the case to the lawyer; from_offer: the slot is already counted as an offer."""
        if from_offer:
            lawyer.offers -= 1
        if not lawyer.cases:
            lawyer.busy_since = self.now
        if any(c.d.station != case.d.station for c in lawyer.cases):
            self.count("bound_behind_another_station")  # it waits for a visit elsewhere first
        lawyer.cases.append(case)
        case.status, case.lawyer = ASSIGNED, lawyer
        self.touch(lawyer)
        if case.d.station in (lawyer.station, lawyer.heading):
            case.en_route = self.now
        if case.d.station == lawyer.station:
            case.at_station = self.now
        self.step(lawyer)

    def step(self, lawyer: Lawyer) -> None:
        """Start the lawyer's next visit or trip, unless they are busy with one."""
        if lawyer.doing is not None or not lawyer.cases:
            return
        here = [c for c in lawyer.cases if c.d.station == lawyer.station]
        if here:
            self._attempt(lawyer, here[0])
            return
        target = lawyer.cases[0].d.station
        lawyer.doing, lawyer.heading, lawyer.station = "travel", target, None
        for case in lawyer.cases:
            if case.d.station == target and case.en_route is None:
                case.en_route = self.now
        self.at(self.now + self.travel_min(lawyer, target), self._arrive, lawyer)

    def travel_min(self, lawyer: Lawyer, station) -> float:
        distance = km(lawyer.lat, lawyer.lon, station.lat, station.lon)
        return self.p.travel_overhead_min + distance / self.p.speed_kmh * 60

    def _arrive(self, lawyer: Lawyer) -> None:
        station = lawyer.heading
        lawyer.lat, lawyer.lon = station.lat, station.lon
        lawyer.station, lawyer.heading, lawyer.doing = station, None, None
        for case in lawyer.cases:
            if case.d.station == station and case.at_station is None:
                case.at_station = self.now
        self.touch(lawyer)
        self.step(lawyer)
        self.moved(lawyer)

    def _attempt(self, lawyer: Lawyer, case: Case) -> None:
        lawyer.doing = "visit"
        refused = case.d.refusals[case.attempts]
        case.attempts += 1
        if not refused:
            case.reached = self.now
            self.at(self.now + case.d.visit_min, self._finish, lawyer, case)
        elif case.attempts < len(case.d.refusals):
            self.count("refusals")
            self.at(self.now + self.p.refuse_wait_min, self._retry, lawyer, case)
        else:
            self.count("refusals")
            self.count("not_admitted")
            self.at(self.now + self.p.refuse_wait_min, self._finish, lawyer, case)

    def _retry(self, lawyer: Lawyer, case: Case) -> None:
        self._attempt(lawyer, case)

    def _finish(self, lawyer: Lawyer, case: Case) -> None:
        case.status = DONE
        lawyer.cases.remove(case)
        lawyer.doing = None
        lawyer.free_since = self.now
        if not lawyer.cases:
            lawyer.busy.append((lawyer.busy_since, self.now))
            lawyer.busy_since = None
        self.touch(lawyer)
        self.freed(lawyer)
        self.step(lawyer)
