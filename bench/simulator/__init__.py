"""A protest-day simulator: Habeas's real dispatch policy against the 2021 hotline, same day.

Run it with `python -m bench.simulator`; docs/simulator.md explains the model and its numbers.
"""

from bench.simulator.baseline_arm import BaselineSim
from bench.simulator.habeas_arm import HabeasSim
from bench.simulator.params import Params
from bench.simulator.proposal import ProposedSim
from bench.simulator.report import summary
from bench.simulator.world import build_world

# "proposed" is not production: a change to rank() measured beside it (see proposal.py).
ARMS = (HabeasSim, BaselineSim, ProposedSim)


def simulate(params: Params) -> list[dict]:
    """Replay one day with one pool through every arm; return a row per arm."""
    world = build_world(params)
    return [
        {"pool": params.pool, "arm": arm.name, "summary": summary(arm(world).run())} for arm in ARMS
    ]
