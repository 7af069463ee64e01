"""Habeas's arm: habeas/dispatch/services.py replayed, every choice made by the real policy.

As in production (services.offer_next and friends):
- a new case is offered to the first lawyer of policy.rank(), not yet tried, with a deadline
  (HABEAS_OFFER_SECONDS = 180 s); a decline or silence moves it to the next lawyer;
- once HABEAS_OFFER_MAX_TRIES (3) lawyers were tried, or once it has waited
  HABEAS_ESCALATE_AFTER_MINUTES (10) without an acceptance, the case is escalated to dispatchers,
  and offers to untried lawyers go on meanwhile (`--set escalation=instant` replays the earlier
  rule: also the moment rank() finds nobody free);
- dispatchers are told by a digest per HABEAS_ESCALATION_DIGEST_MINUTES window (earlier: a
  message per escalated case); counts["dispatcher_messages"] is what each dispatcher receives;
- a case nobody can take waits; when a lawyer closes a case (capacity_freed), the waiting cases
  are offered again in policy.triage() order. A slot freed by a declined or expired offer is seen
  at the next close, as in production, where only a close re-runs the waiting cases;
- the policy sees each lawyer as production's lawyer_infos() builds them: roster stations (our
  lawyers have none, as in 2021), base position (home), default radius, load = held cases + open
  offers, and the stations they hold cases at (rank() offers a busy lawyer only cases there).
Dispatchers (modelled, not in code): one takes an escalated case after dispatcher_min and, if it is
still waiting, assigns the best lawyer of rank() with areas ignored; if nobody has room, they keep
it and assign it by hand to the first lawyer who frees up.
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
        self.unseen_room: set[int] = set()  # lawyers freed by a lost offer, not re-run yet
        self.offered: dict[int, list[Case]] = {lw.id: [] for lw in self.lawyers}  # open offers
        self.escalated: list[Case] = []
        self.free_dispatchers = self.p.dispatchers
        # Each lawyer answers offers from their own stream: the k-th offer a lawyer gets is
        # answered the same way whatever the policy did before it.
        self.answers = {
            lw.id: random.Random(f"{self.p.seed}:answers:{lw.id}") for lw in self.lawyers
        }
        self.case_info = {c.d.id: self._case_info(c) for c in self.cases}
        self._infos: dict[tuple[int, bool], tuple[int, policy.LawyerInfo]] = {}
        self.by_id = {c.d.id: c for c in self.cases}

    # --- plain data for the policy (services.case_info, services.lawyer_infos) -------------
    def _case_info(self, case: Case) -> policy.CaseInfo:
        station = case.d.station  # known: the SOS comes once the person is at the station
        return policy.CaseInfo(
            id=case.d.id,
            priority=case.d.priority,
            created_at=case.d.t * 60,
            lat=station.lat,
            lon=station.lon,
            station_ids=frozenset({station.id}),
        )

    def info(self, lawyer: Lawyer, by_hand: bool = False) -> policy.LawyerInfo:
        """Return the policy's view of the lawyer (by_hand: as a dispatcher sees them, anywhere)."""
        key = (lawyer.id, by_hand)
        cached = self._infos.get(key)
        if cached and cached[0] == lawyer.changed:
            return cached[1]
        made = self.make_info(lawyer)
        if by_hand:
            made = dataclasses.replace(made, radius_m=EVERYWHERE)
        self._infos[key] = (lawyer.changed, made)
        return made

    def make_info(self, lawyer: Lawyer) -> policy.LawyerInfo:
        return policy.LawyerInfo(
            id=lawyer.id,
            on_duty=True,
            load=lawyer.load,
            capacity=lawyer.capacity,
            station_ids=frozenset(),  # no roster stations
            lat=lawyer.home.lat,
            lon=lawyer.home.lon,
            # services._holding_at: stations of held cases and open offers.
            holding_at=frozenset(c.d.station.id for c in (*lawyer.cases, *self.offered[lawyer.id])),
        )

    def could_take(self, lawyer: Lawyer, case: Case) -> bool:
        """Whether the lawyer is shown to rank() for this case at all (a hook for proposals)."""
        return True

    def rank(self, case: Case, by_hand: bool = False) -> list[policy.LawyerInfo]:
        city = self.by_city[case.d.city]
        infos = [self.info(lw, by_hand) for lw in city if self.could_take(lw, case)]
        excluded = frozenset(case.tried)
        self.count("rank_calls")
        ranked = policy.rank(self.case_info[case.d.id], infos, excluded)
        if not ranked and by_hand and excluded:
            self.count("rank_calls")
            ranked = policy.rank(self.case_info[case.d.id], infos)  # ask someone again
        return ranked

    def lawyer(self, info: policy.LawyerInfo) -> Lawyer:
        return self.lawyers[info.id - 1]

    # --- offers (services.offer_next, decline, expire) -------------------------------------
    def run(self) -> "HabeasSim":
        super().run()
        self.count("dispatcher_messages", self._messages_per_dispatcher())
        return self

    def _messages_per_dispatcher(self) -> int:
        """Messages each dispatcher got: one per escalation before; one per digest window in
        which an escalated case still waited since (services.alert_dispatchers)."""
        escalated = [c for c in self.cases if c.escalated_at is not None]
        if self.p.escalation == "instant":
            return len(escalated)
        span, windows = self.p.digest_min, set()
        for case in escalated:
            done = case.en_route if case.en_route is not None else case.d.t + self.p.give_up_h * 60
            first, last = int(case.escalated_at // span) + 1, int(done // span)
            windows.update(range(first, last + 1))
        return len(windows)

    def sos(self, case: Case) -> None:
        if self.p.escalation != "instant":
            self.at(case.d.t + self.p.escalate_after_min, self._escalate_if_waiting, case)
        self.offer_next(case)

    def _escalate_if_waiting(self, case: Case) -> None:
        """services.escalate_if_waiting: still not accepted after the wait."""
        if case.status in (WAITING, OFFERED) and not self.expired(case):
            self.escalate(case)

    def offer_next(self, case: Case) -> None:
        if case.status != WAITING or self.expired(case):
            return
        if len(case.tried) >= self.p.offer_tries:
            self.escalate(case)
        ranked = self.rank(case)
        if ranked:
            self.offer(case, self.lawyer(ranked[0]))
            return
        if self.p.escalation == "instant":
            self.escalate(case)  # the earlier rule: nobody at all can take it now
        self.waiting[case.d.city].append(case)

    def offer(self, case: Case, lawyer: Lawyer) -> None:
        case.status = OFFERED
        case.tried.add(lawyer.id)
        self.offered[lawyer.id].append(case)
        self.open_offer(lawyer)
        self.count("offers")
        rng = self.answers[lawyer.id]
        u, delay = rng.random(), rng.uniform(self.p.answer_min_low, self.p.answer_min_high)
        if u < self.p.decline_p:
            self.at(self.now + delay, self._lost, case, lawyer, "declines")
        elif u < self.p.decline_p + self.p.silent_p or delay > self.p.offer_deadline_min:
            self.at(self.now + self.p.offer_deadline_min, self._lost, case, lawyer, "expired")
        else:
            self.at(self.now + delay, self._accepted, case, lawyer)

    def _accepted(self, case: Case, lawyer: Lawyer) -> None:
        self.offered[lawyer.id].remove(case)
        self.assign(case, lawyer, from_offer=True)

    def _lost(self, case: Case, lawyer: Lawyer, why: str) -> None:
        self.count(why)
        self.offered[lawyer.id].remove(case)
        self.close_offer(lawyer)
        self.unseen_room.add(lawyer.id)
        case.status = WAITING
        self.offer_next(case)

    # --- dispatchers -----------------------------------------------------------------------
    def escalate(self, case: Case) -> None:
        if case.escalated:
            return
        case.escalated = True
        case.escalated_at = self.now
        self.count("escalated")
        self.escalated.append(case)
        self._next_escalation()

    def _next_escalation(self) -> None:
        while self.free_dispatchers and self.escalated:
            first = policy.triage(self.case_info[c.d.id] for c in self.escalated)[0]
            case = self.by_id[first.id]
            self.escalated.remove(case)
            if case.status not in (WAITING, OFFERED) or self.expired(case):
                continue
            self.free_dispatchers -= 1
            self.at(self.now + self.p.dispatcher_min, self._by_hand, case)

    def _by_hand(self, case: Case) -> None:
        self.free_dispatchers += 1
        if case.status in (WAITING, OFFERED) and not self.expired(case):
            case.by_hand = True  # from now on a dispatcher watches it
            ranked = self.rank(case, by_hand=True) if case.status == WAITING else []
            if ranked:
                self.waiting[case.d.city].remove(case)
                self.assign(case, self.lawyer(ranked[0]))
                self.count("assigned_by_hand")
        self._next_escalation()

    # --- re-dispatch (services.capacity_freed → dispatch_waiting) --------------------------
    def freed(self, lawyer: Lawyer) -> None:
        """A case was closed: offer waiting cases again, in triage order."""
        room = {lawyer.id} | self.unseen_room
        self.unseen_room = set()
        self.dispatch_waiting(lawyer.city, room)

    def dispatch_waiting(self, city: int, room_ids: set[int]) -> None:
        # Production re-runs offer_next for every waiting case. Only lawyers in room_ids gained
        # room since each case last found nobody, so a case none of them could take is skipped
        # without calling rank(): the same outcome, far fewer calls.
        queue = self.waiting[city]
        room = [self.lawyers[i - 1] for i in sorted(room_ids) if self.lawyers[i - 1].city == city]
        for ci in policy.triage(self.case_info[c.d.id] for c in queue):
            room = [lw for lw in room if lw.load < lw.capacity]
            if not room:
                return
            case = self.by_id[ci.id]
            if self.expired(case):
                queue.remove(case)
                continue
            if not any(self._might_take(lw, case, ci) for lw in room):
                continue
            if case.by_hand:
                ranked = self.rank(case, by_hand=True)
                if ranked:
                    queue.remove(case)
                    self.assign(case, self.lawyer(ranked[0]))
                    self.count("assigned_by_hand")
            else:
                queue.remove(case)
                self.offer_next(case)

    def _might_take(self, lawyer: Lawyer, case: Case, ci: policy.CaseInfo) -> bool:
        if not self.could_take(lawyer, case):
            return False
        info = self.info(lawyer)
        return case.by_hand or (
            lawyer.id not in case.tried
            and policy.covers(ci, info)
            and policy.within_reach(ci, info)
        )
