"""Every knob of the protest-day simulator, with where its default comes from.

"source:" cites data or the brief; "assumption:" marks a number we chose. docs/simulator.md repeats
this table; keep the two in step.
"""

from dataclasses import dataclass, fields

MINUTE = 1.0
HOUR = 60.0


@dataclass(frozen=True)
class Params:
    seed: int = 1
    pool: int = 107  # lawyers on duty; source: OVD-Info's network, 107 (2020) to 442 (2023)

    # The day. source: OVD-Info's running totals as the press reported them,
    # bench/simulator/data/detentions-2021-01-31-timeline.csv
    total_detained: int = 5754
    # assumption: the time of the undated "late evening" running total (5,135)
    late_evening_hhmm: str = "23:00"
    # assumption: first detentions; Far East noon is 05:00 MSK, the St Petersburg and Moscow
    # rallies were called for 14:00 and 12:00 with detentions before the start
    other_start_hhmm: str = "05:00"
    moscow_start_hhmm: str = "11:00"
    spb_start_hhmm: str = "13:00"
    # assumption: 87 cities in all; the 85 outside the two capitals become this many equal
    # synthetic cities of ~150 detainees (Krasnoyarsk 194, Nizhny Novgorod 160, Tver 124 by 19:04)
    other_cities: int = 17
    other_stations_per_city: int = 6  # assumption
    other_city_radius_km: float = 6.0  # assumption: stations and lawyers' homes around the centre
    moscow_radius_km: float = 15.0  # assumption: lawyers' homes, roughly inside the MKAD ring
    spb_radius_km: float = 12.0  # assumption
    priority_share: float = 0.05  # assumption: minors and the injured, raised by triage

    # Lawyers.
    capacity: int = 3  # source: Lawyer.capacity default in habeas/lawyers/models.py
    speed_kmh: float = 20.0  # assumption (from the brief): door to door, on straight-line km
    travel_overhead_min: float = 10.0  # assumption: get going, park or walk, find the door
    visit_min_low: float = 10.0  # assumption: time with one detainee, triangular low/mode/high
    visit_min_mode: float = 20.0
    visit_min_high: float = 60.0
    refuse_p: float = 0.2  # assumption: chance one attempt to see a detainee is refused
    refuse_wait_min: float = 20.0  # assumption: waiting at the door before trying again
    refuse_tries: int = 3  # assumption: after this many refusals the detainee counts as not reached
    give_up_h: float = 12.0  # assumption: by then a detainee is released or in court

    # Habeas: offers (production defaults from the brief) and the lawyer's answer.
    offer_deadline_min: float = 3.0
    offer_tries: int = 3
    decline_p: float = 0.10  # assumption
    silent_p: float = 0.10  # assumption: the offer expires unanswered
    answer_min_low: float = 0.25  # assumption: seconds-to-minutes to tap accept or decline
    answer_min_high: float = 2.5
    # assumption: the same people as the baseline's hotline, now answering escalations
    dispatchers: int = 140
    dispatcher_min: float = 8.0
    # When a case escalates (source: habeas/dispatch/services.py): "waited" (production since
    # issue 12: after HABEAS_ESCALATE_AFTER_MINUTES without an acceptance, or after
    # offer_tries lawyers) or "instant" (before: also the moment rank() finds nobody free).
    escalation: str = "waited"
    escalate_after_min: float = 10.0  # source: HABEAS_ESCALATE_AFTER_MINUTES default
    # source: HABEAS_ESCALATION_DIGEST_MINUTES default; with "waited", each dispatcher gets one
    # digest per window in which escalated cases wait, instead of a message per case
    digest_min: float = 5.0
    # The "proposed" arm (not production; see proposal.py): which changes it makes, comma-separated.
    # "one_place": a lawyer holding cases is offered only cases at a station where they hold one;
    # "live" (an experiment, off): lawyer_infos() from live state instead of the profile.
    proposal: str = "live"

    # The 2021 baseline. source: OVD-Info had ~140 hotline volunteers on 23 Jan 2021 (brief).
    volunteers: int = 140
    volunteer_min: float = 8.0  # source: the brief; taking details and phoning round
    reports_per_detainee: int = 1  # assumption: one report each, which flatters the baseline


def with_overrides(params: Params, pairs: list[str]) -> Params:
    """Return params with "name=value" pairs applied, each value cast to the field's type."""
    types = {f.name: f.type for f in fields(Params)}
    changes = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in types:
            raise ValueError(f"unknown parameter {name!r}")
        changes[name] = types[name](value)  # the field types are int, float and str
    return Params(**{**params.__dict__, **changes})
