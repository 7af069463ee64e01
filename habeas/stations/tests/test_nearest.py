from habeas.stations.services import nearest


def test_the_nearest_station_to_tverskaya_street_is_tverskoy(stations):
    found = nearest(55.7649, 37.6116, limit=3)
    assert found[0].station.name == "ОВД Тверской"
    assert found[0].distance_m < 100
    assert [n.distance_m for n in found] == sorted(n.distance_m for n in found)
    assert len(found) == 3


def test_nowhere_near_any_station_finds_nothing(stations):
    assert nearest(0.0, 0.0) == []
