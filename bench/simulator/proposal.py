"""Changes to dispatch we propose, measured beside production: not production code.

"one_place" (the proposal) — a lawyer who holds cases is offered only cases at a station where
they hold one. The real rank() lets a lawyer busy at one station take a case at another (load 1
or 2 of 3); that case then waits behind the whole first visit and a trip, while a lawyer who frees
up a minute later cannot take it. With the rule a case is bound only to someone who can see the
person soon, and otherwise stays in the shared queue for whoever frees up first. docs/simulator.md
shows how it would read in policy.rank().

"live" (an experiment, off by default) — build LawyerInfo from what the lawyer is doing rather
than from their profile: position = the last station they reached (else home), station_ids = the
stations of the cases they hold, so rank()'s "a lawyer of this station first" sends the next
detainee to the lawyer already there. Production's lawyer_infos() uses base position and roster.
"""

from bench.simulator.engine import Case, Lawyer
from bench.simulator.habeas_arm import HabeasSim
from habeas.dispatch import policy


class ProposedSim(HabeasSim):
    name = "proposed"

    def __init__(self, world) -> None:
        super().__init__(world)
        self.changes = {c.strip() for c in self.p.proposal.split(",") if c.strip()}
        unknown = self.changes - {"live", "one_place"}
        if unknown:
            raise ValueError(f"unknown proposal {sorted(unknown)}")

    def make_info(self, lawyer: Lawyer) -> policy.LawyerInfo:
        info = super().make_info(lawyer)
        if "live" not in self.changes:
            return info
        return policy.LawyerInfo(
            id=info.id,
            on_duty=info.on_duty,
            load=info.load,
            capacity=info.capacity,
            station_ids=frozenset(c.d.station.id for c in lawyer.cases),
            lat=lawyer.lat,
            lon=lawyer.lon,
        )

    def could_take(self, lawyer: Lawyer, case: Case) -> bool:
        if "one_place" not in self.changes or lawyer.load == 0:
            return True
        holding = [*lawyer.cases, *self.offered[lawyer.id]]  # offers count: they may be taken
        return any(c.d.station.id == case.d.station.id for c in holding)

    def moved(self, lawyer: Lawyer) -> None:
        if "live" in self.changes:
            self.dispatch_waiting(lawyer.city, {lawyer.id})  # new place, new cases in reach
