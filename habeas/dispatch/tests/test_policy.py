"""The policy is plain data in, plain data out: no database in these tests."""

from habeas.dispatch.policy import CaseInfo, LawyerInfo, rank, triage

TVERSKOY = 1
BASMANNY = 2
CASE = CaseInfo(id=1, priority=0, created_at=0, lat=55.765, lon=37.61, station_ids=frozenset())


def lawyer(id, **kw) -> LawyerInfo:
    base = {"on_duty": True, "load": 0, "capacity": 3, "lat": 55.76, "lon": 37.62}
    return LawyerInfo(id=id, **{**base, **kw})


def test_minors_and_injuries_first_then_the_oldest():
    old = CaseInfo(id=1, priority=0, created_at=10)
    new = CaseInfo(id=2, priority=0, created_at=20)
    minor = CaseInfo(id=3, priority=10, created_at=30)
    assert [c.id for c in triage([new, minor, old])] == [3, 1, 2]


def test_off_duty_full_and_already_tried_lawyers_are_never_offered():
    lawyers = [
        lawyer(1, on_duty=False),
        lawyer(2, load=3, capacity=3),
        lawyer(3),
        lawyer(4),
    ]
    assert [lw.id for lw in rank(CASE, lawyers, excluded=frozenset({4}))] == [3]


def test_the_lowest_load_goes_first_then_the_nearest():
    case = CaseInfo(
        id=1, priority=0, created_at=0, lat=55.765, lon=37.61, station_ids=frozenset({TVERSKOY})
    )
    near_busy = lawyer(1, load=2, lat=55.765, lon=37.61, holding_at=frozenset({TVERSKOY}))
    far_free = lawyer(2, load=0, lat=55.80, lon=37.70)
    near_free = lawyer(3, load=0, lat=55.766, lon=37.611)
    assert [lw.id for lw in rank(case, [near_busy, far_free, near_free])] == [3, 2, 1]


def test_a_lawyer_of_the_station_where_the_person_is_held_comes_first():
    case = CaseInfo(id=1, priority=0, created_at=0, station_ids=frozenset({BASMANNY}))
    other = lawyer(1, station_ids=frozenset({TVERSKOY}))
    theirs = lawyer(2, station_ids=frozenset({BASMANNY}), load=2, holding_at=frozenset({BASMANNY}))
    assert [lw.id for lw in rank(case, [other, theirs])] == [2, 1]


def test_a_lawyer_covers_only_their_radius():
    far = lawyer(1, lat=59.94, lon=30.31)  # St Petersburg
    near = lawyer(2, radius_m=2_000)
    assert [lw.id for lw in rank(CASE, [far, near])] == [2]


SPB_STATION = (51, 59.93, 30.36)  # (id, lat, lon)
MOSCOW_STATION = (2, 55.77, 37.667)


def test_a_case_with_no_place_and_no_city_goes_to_no_lawyer_at_all():
    case = CaseInfo(id=1, priority=0, created_at=0)
    anywhere = lawyer(3, lat=None, lon=None)  # no stations, no base: "I go anywhere"
    assert rank(case, [lawyer(1, lat=59.9, lon=30.3), lawyer(2), anywhere]) == []


def test_a_case_with_only_a_city_goes_to_the_lawyers_covering_that_city():
    in_moscow = CaseInfo(
        id=1, priority=0, created_at=0, city="москва", city_stations=(MOSCOW_STATION,)
    )
    petersburg = lawyer(1, lat=59.94, lon=30.31)
    moscow_base = lawyer(2)
    moscow_station = lawyer(3, lat=None, lon=None, station_ids=frozenset({BASMANNY}))
    anywhere = lawyer(4, lat=None, lon=None)
    ranked = rank(in_moscow, [petersburg, moscow_base, moscow_station, anywhere])
    assert sorted(lw.id for lw in ranked) == [2, 3, 4]


def test_a_city_with_no_stations_known_goes_only_to_lawyers_who_go_anywhere():
    case = CaseInfo(id=1, priority=0, created_at=0, city="урюпинск")
    assert [lw.id for lw in rank(case, [lawyer(1), lawyer(2, lat=None, lon=None)])] == [2]


def test_the_roster_case_is_in_everyones_area():
    case = CaseInfo(id=0, priority=0, created_at=0, anywhere=True)
    assert [lw.id for lw in rank(case, [lawyer(1, lat=59.9, lon=30.3), lawyer(2)])] == [1, 2]


def test_a_busy_lawyer_is_offered_only_cases_where_they_already_are():
    here = CaseInfo(id=1, priority=0, created_at=0, station_ids=frozenset({TVERSKOY}))
    there = CaseInfo(id=2, priority=0, created_at=0, station_ids=frozenset({BASMANNY}))
    busy_at_tverskoy = lawyer(1, load=1, holding_at=frozenset({TVERSKOY}))
    assert [lw.id for lw in rank(here, [busy_at_tverskoy])] == [1]
    assert rank(there, [busy_at_tverskoy]) == []
    assert [lw.id for lw in rank(there, [busy_at_tverskoy, lawyer(2)])] == [2]
