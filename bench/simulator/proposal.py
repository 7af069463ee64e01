"""Changes to dispatch we propose, measured beside production: not production code.

"one_place" was the first proposal measured here (a busy lawyer is offered only cases where they
already are); it is production now, as policy.within_reach(), and the Habeas arm has it.

"live" (an experiment) — build LawyerInfo from what the lawyer is doing rather
than from their profile: position = the last station they reached (else home), station_ids = the
stations of the cases they hold, so rank()'s "a lawyer of this station first" sends the next
detainee to the lawyer already there. Production's lawyer_infos() uses base position and roster.
"""

from bench.simulator.engine import Lawyer
from bench.simulator.habeas_arm import HabeasSim
from habeas.dispatch import policy


class ProposedSim(HabeasSim):
    name = "proposed"

    def __init__(self, world) -> None:
        super().__init__(world)
        self.changes = {c.strip() for c in self.p.proposal.split(",") if c.strip()}
        unknown = self.changes - {"live"}
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
            holding_at=info.holding_at,
        )

    def moved(self, lawyer: Lawyer) -> None:
        if "live" in self.changes:
            self.dispatch_waiting(lawyer.city, {lawyer.id})  # new place, new cases in reach
