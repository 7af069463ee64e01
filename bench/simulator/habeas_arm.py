"""Habeas's arm: every decision about who is offered a case goes through the real policy.

Flow (as production): SOS → triage/rank → an offer to the best lawyer with a deadline → accept,
or decline / silence → the next lawyer; after offer_tries, or when no lawyer's area covers the
case, the case is escalated to dispatchers, who after dispatcher_min assign the best-ranked lawyer
by hand, ignoring areas. When nobody eligible has room, the case waits; dispatch re-runs for the
waiting cases, in triage order, whenever a lawyer's load drops.
"""

# ruff: noqa: S311 - a seeded random.Random per lawyer makes answers reproducible, not secret

import dataclasses
import random

from bench.simulator.engine import OFFERED, WAITING, Case, Lawyer, Sim
from habeas.dispatch import policy

EVERYWHERE = float("inf")  # a dispatcher phones anyone in the city, whatever their area


class HabeasSim(Sim):
    name = "habeas"

    def __init__(self, world) -> None:
        super().__init__(world)
        self.waiting: dict[int, list[Case]] = {city: [] for city in self.by_city}
        self.escalated: list[Case] = []
        self.free_dispatchers = self.p.dispatchers
        # Each lawyer answers offers from their own stream: the k-th offer a lawyer gets is
        # answered the same way whatever the policy did before it.
        self.answers = {
            lw.id: random.Random(f"{self.p.seed}:answers:{lw.id}") for lw in self.lawyers
        }
        self.case_info = {c.d.id: self._case_info(c) for c in self.cases}
        self._infos: dict[int, tuple[int, policy.LawyerInfo]] = {}
        self.by_id = {c.d.id: c for c in self.cases}

    # --- plain data for the policy ---------------------------------------------------------
    def _case_info(self, case: Case) -> policy.CaseInfo:
        station = case.d.station
        return policy.CaseInfo(
            id=case.d.id,
            priority=case.d.priority,
            created_at=case.d.t * 60,
            lat=station.lat,
            lon=station.lon,
            station_ids=frozenset({station.id}),
        )

    def info(self, lawyer: Lawyer) -> policy.LawyerInfo:
        cached = self._infos.get(lawyer.id)
        if cached and cached[0] == lawyer.changed:
            return cached[1]
        own = frozenset()
        if self.p.lawyer_stations == "active":
            own = frozenset(c.d.station.id for c in lawyer.cases)
        made = policy.LawyerInfo(
            id=lawyer.id,
            on_duty=True,
            load=lawyer.load,
            capacity=lawyer.capacity,
            station_ids=own,
            lat=lawyer.lat,  # last known position: home, or the last station reached
            lon=lawyer.lon,
        )
        self._infos[lawyer.id] = (lawyer.changed, made)
        return made

    def rank(self, case: Case, by_hand: bool = False) -> list[policy.LawyerInfo]:
        infos = [self.info(lw) for lw in self.by_city[case.d.city] if self.could_take(lw, case)]
        excluded = frozenset(case.tried)
        if by_hand:
            infos = [dataclasses.replace(i, radius_m=EVERYWHERE) for i in infos]
        self.count("rank_calls")
        ranked = policy.rank(self.case_info[case.d.id], infos, excluded)
        if not ranked and by_hand and excluded:
            self.count("rank_calls")
            ranked = policy.rank(self.case_info[case.d.id], infos)  # ask someone again
        return ranked

    def could_take(self, lawyer: Lawyer, case: Case) -> bool:
        """Whether the lawyer is shown to rank() for this case at all (a hook for proposals)."""
        return True

    def lawyer(self, info: policy.LawyerInfo) -> Lawyer:
        return self.lawyers[info.id - 1]

    # --- dispatch --------------------------------------------------------------------------
    def sos(self, case: Case) -> None:
        self.dispatch(case)

    def dispatch(self, case: Case) -> None:
        if self.expired(case):
            return
        ranked = self.rank(case)
        if ranked:
            self.offer(case, self.lawyer(ranked[0]))
            return
        ci = self.case_info[case.d.id]
        anyone = any(
            policy.covers(ci, self.info(lw)) and lw.id not in case.tried
            for lw in self.by_city[case.d.city]
        )
        if anyone:
            self.waiting[case.d.city].append(case)  # everyone who could is full: wait
        else:
            self.escalate(case)  # nobody's area, or everyone tried: a human's job

    def offer(self, case: Case, lawyer: Lawyer) -> None:
        case.status = OFFERED
        case.tried.add(lawyer.id)
        self.open_offer(lawyer)
        self.count("offers")
        rng = self.answers[lawyer.id]
        u, delay = rng.random(), rng.uniform(self.p.answer_min_low, self.p.answer_min_high)
        if u < self.p.decline_p:
            self.at(self.now + delay, self._declined, case, lawyer, "declines")
        elif u < self.p.decline_p + self.p.silent_p or delay > self.p.offer_deadline_min:
            self.at(self.now + self.p.offer_deadline_min, self._declined, case, lawyer, "expired")
        else:
            self.at(self.now + delay, self._accepted, case, lawyer)

    def _accepted(self, case: Case, lawyer: Lawyer) -> None:
        self.assign(case, lawyer, from_offer=True)

    def _declined(self, case: Case, lawyer: Lawyer, why: str) -> None:
        self.count(why)
        self.close_offer(lawyer)
        case.status = WAITING
        if len(case.tried) >= self.p.offer_tries:
            self.escalate(case)
        else:
            self.dispatch(case)
        self.freed(lawyer)

    # --- dispatchers -----------------------------------------------------------------------
    def escalate(self, case: Case) -> None:
        if not case.escalated:
            self.count("escalated")
        case.escalated = True
        self.escalated.append(case)
        self._next_escalation()

    def _next_escalation(self) -> None:
        while self.free_dispatchers and self.escalated:
            infos = policy.triage(self.case_info[c.d.id] for c in self.escalated)
            case = self.by_id[infos[0].id]
            self.escalated.remove(case)
            if self.expired(case):
                continue
            self.free_dispatchers -= 1
            self.at(self.now + self.p.dispatcher_min, self._by_hand, case)

    def _by_hand(self, case: Case) -> None:
        self.free_dispatchers += 1
        if not self.expired(case):
            case.by_hand = True
            ranked = self.rank(case, by_hand=True)
            if ranked:
                self.assign(case, self.lawyer(ranked[0]))
            else:
                self.waiting[case.d.city].append(case)  # everyone is full: first free takes it
        self._next_escalation()

    # --- re-dispatch when a lawyer has room -------------------------------------------------
    def freed(self, lawyer: Lawyer) -> None:
        queue = self.waiting[lawyer.city]
        if not queue or lawyer.load >= lawyer.capacity:
            return
        mine = self.info(lawyer)
        for ci in policy.triage(self.case_info[c.d.id] for c in queue):
            if lawyer.load >= lawyer.capacity:
                break
            case = self.by_id[ci.id]
            if self.expired(case):
                queue.remove(case)
                continue
            if not self.could_take(lawyer, case):
                continue
            if not case.by_hand and (lawyer.id in case.tried or not policy.covers(ci, mine)):
                continue  # this lawyer's room changes nothing for this case
            ranked = self.rank(case, by_hand=case.by_hand)
            if not ranked:
                continue
            queue.remove(case)
            if case.by_hand:
                self.assign(case, self.lawyer(ranked[0]))
            else:
                self.offer(case, self.lawyer(ranked[0]))
            mine = self.info(lawyer)
