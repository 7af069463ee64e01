"""A proposed change to the policy, measured beside it: "one place at a time".

Not production. The real rank() lets a lawyer who is busy at one station take a case at another
(load 1 or 2 of 3), and that case then waits behind the whole first visit and a trip, while a
lawyer who frees up a minute later cannot take it. This arm hides such lawyers from rank() for
cases elsewhere, so a case is bound only to someone who can go now, and otherwise stays in the
shared queue. Everything else (ranking, offers, escalation) is the real policy and the Habeas arm.
docs/simulator.md says how the rule would read inside policy.rank().
"""

from bench.simulator.engine import Case, Lawyer
from bench.simulator.habeas_arm import HabeasSim


class ProposedSim(HabeasSim):
    name = "proposed"

    def could_take(self, lawyer: Lawyer, case: Case) -> bool:
        here = case.d.station.id
        return not lawyer.cases or any(c.d.station.id == here for c in lawyer.cases)
