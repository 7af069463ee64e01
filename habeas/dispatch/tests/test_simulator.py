"""The protest-day simulator (bench/simulator) on a tiny day: invariants, not numbers."""

import json

import pytest

from bench.simulator import ARMS, simulate
from bench.simulator.__main__ import main
from bench.simulator.engine import DONE, DROPPED
from bench.simulator.habeas_arm import HabeasSim
from bench.simulator.params import Params, with_overrides
from bench.simulator.proposal import ProposedSim
from bench.simulator.report import summary
from bench.simulator.world import build_world
from habeas.dispatch import policy

# Few lawyers for many detainees, so queues, offers, escalations and drops all happen.
TINY = Params(seed=7, pool=12, total_detained=240, other_cities=2, give_up_h=4)


def run_all(params: Params = TINY):
    world = build_world(params)
    return [arm(world).run() for arm in ARMS]


def test_every_detainee_ends_reached_or_counted_as_not_reached():
    for sim in run_all():
        for case in sim.cases:
            assert case.status in (DONE, DROPPED)
            if case.status == DROPPED:
                assert case.lawyer is None and case.reached is None
        assert any(c.reached is not None for c in sim.cases), sim.name
        assert any(c.status == DROPPED for c in sim.cases), sim.name


def test_times_run_forward_from_the_sos():
    for sim in run_all():
        for case in sim.cases:
            marks = [case.d.t, case.en_route, case.at_station, case.reached]
            known = [m for m in marks if m is not None]
            assert known == sorted(known), (sim.name, case.d.id, marks)


def test_no_lawyer_is_ever_over_capacity():
    # Sim.touch() raises on the spot if load passes capacity; max_load is the witness.
    for capacity in (1, 3):
        for sim in run_all(with_overrides(TINY, [f"capacity={capacity}"])):
            assert max(lw.max_load for lw in sim.lawyers) == capacity, sim.name
            assert all(lw.load == 0 for lw in sim.lawyers)


def test_the_same_seed_gives_the_same_numbers_and_another_seed_does_not():
    assert simulate(TINY) == simulate(TINY)
    assert simulate(TINY) != simulate(with_overrides(TINY, ["seed=8"]))


def test_both_arms_replay_the_same_day_whatever_the_pool():
    small, large = build_world(TINY), build_world(with_overrides(TINY, ["pool=40"]))
    assert small.detainees == large.detainees
    assert len(small.lawyers) == 12 and len(large.lawyers) == 40


def test_the_habeas_arm_asks_the_real_policy_and_the_baseline_does_not(monkeypatch):
    calls = []
    real = policy.rank

    def counting(case, lawyers, excluded=frozenset()):
        calls.append(case.id)
        return real(case, lawyers, excluded)

    monkeypatch.setattr(policy, "rank", counting)
    habeas, baseline, proposed = run_all()
    assert len(calls) == habeas.counts["rank_calls"] + proposed.counts["rank_calls"] > 0
    assert "rank_calls" not in baseline.counts and "offers" not in baseline.counts


def test_the_proposed_arm_with_no_changes_is_the_habeas_arm():
    world = build_world(with_overrides(TINY, ["proposal="]))
    habeas, proposed = HabeasSim(world).run(), ProposedSim(world).run()
    assert summary(habeas) == summary(proposed)


def test_unknown_parameters_are_refused():
    with pytest.raises(ValueError, match="unknown parameter"):
        with_overrides(TINY, ["lawyers=3"])


def test_the_command_prints_a_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "out.json"
    argv = ["--pools", "6,10", "--seed", "3", "--json", str(out), "--jobs", "1"]
    assert main([*argv, "--set", "total_detained=80", "--set", "other_cities=1"]) == 0
    printed = capsys.readouterr().out
    assert "| 6 | habeas |" in printed and "| 10 | baseline |" in printed
    rows = json.loads(out.read_text())["rows"]
    assert [(r["pool"], r["arm"]) for r in rows] == [
        (pool, arm.name) for pool in (6, 10) for arm in ARMS
    ]


def test_escalation_after_a_wait_tells_each_dispatcher_per_window_not_per_case():
    world = build_world(TINY)
    waited = HabeasSim(world).run()
    instant = HabeasSim(build_world(with_overrides(TINY, ["escalation=instant"]))).run()
    assert instant.counts["dispatcher_messages"] == instant.counts["escalated"]
    escalated = [c for c in waited.cases if c.escalated_at is not None]
    assert escalated, "the tiny day escalates"
    for case in escalated:
        # Never before the wait, unless offer_tries lawyers were already tried.
        assert case.escalated_at >= case.d.t + TINY.escalate_after_min or (
            len(case.tried) >= TINY.offer_tries
        )
    last = max(c.d.t for c in waited.cases) + TINY.give_up_h * 60
    windows = int(last // TINY.digest_min) + 1
    assert 0 < waited.counts["dispatcher_messages"] <= windows
    assert waited.counts["dispatcher_messages"] < instant.counts["dispatcher_messages"]
