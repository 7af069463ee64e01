import pytest

from habeas.lib import geo


def test_distance_between_two_moscow_stations_is_about_right():
    # ОВД Тверской to ОВД Басманный: about 3.6 km on the map.
    assert geo.distance_m(55.764788, 37.611573, 55.769924, 37.6668329) == pytest.approx(
        3490, rel=0.05
    )


def test_coarse_location_is_within_half_a_kilometre_but_not_exact():
    lat, lon = 55.7649123, 37.6116456
    assert geo.coarse(lat) != lat
    assert geo.distance_m(lat, lon, geo.coarse(lat), geo.coarse(lon)) < 500
