"""set_coverage stores where a lawyer works and how to reach them, and refuses what cannot be
right without changing anything."""

import pytest

from habeas.lawyers import services as lawyers
from habeas.lawyers.models import Lawyer
from habeas.lawyers.services import Coverage, RosterError
from habeas.stations.models import PoliceStation

MOSCOW = {"base_lat": 55.7558, "base_lon": 37.6173}


def station_ids(n: int) -> list[int]:
    return list(PoliceStation.objects.order_by("pk").values_list("pk", flat=True)[:n])


def refused(user, **fields) -> RosterError:
    """Try a coverage that must be refused; return the refusal."""
    coverage = Coverage(**{"capacity": 3, "station_ids": [], **fields})
    with pytest.raises(RosterError) as refusal:
        lawyers.set_coverage(user, coverage)
    return refusal.value


def test_a_coverage_is_stored_whole_with_its_stations(lawyer_a, stations):
    ids = station_ids(2)
    coverage = Coverage(
        capacity=5,
        station_ids=ids,
        radius_km=30,
        languages="ru,en",
        channels="email,telegram,sms",
        telegram_chat_id="12345",
        phone="+7 916 000-00-01",
        **MOSCOW,
    )
    lawyers.set_coverage(lawyer_a, coverage)
    lawyer = Lawyer.objects.get(user=lawyer_a)
    assert (lawyer.capacity, lawyer.base_lat, lawyer.base_lon, lawyer.radius_km) == (
        5,
        55.7558,
        37.6173,
        30,
    )
    assert (lawyer.languages, lawyer.channels) == ("ru,en", "email,telegram,sms")
    assert (lawyer.telegram_chat_id, lawyer.phone) == ("12345", "+7 916 000-00-01")
    assert sorted(lawyer.stations.values_list("pk", flat=True)) == sorted(ids)


def test_a_new_coverage_replaces_the_stations_of_the_old_one(lawyer_a, stations):
    first, second = station_ids(2)
    lawyers.set_coverage(lawyer_a, Coverage(capacity=3, station_ids=[first]))
    lawyers.set_coverage(lawyer_a, Coverage(capacity=3, station_ids=[second]))
    assert list(Lawyer.objects.get(user=lawyer_a).stations.values_list("pk", flat=True)) == [second]


def test_a_staff_member_without_a_profile_gets_one(dispatcher, db):
    assert not Lawyer.objects.filter(user=dispatcher).exists()
    lawyer = lawyers.set_coverage(dispatcher, Coverage(capacity=2, station_ids=[]))
    assert Lawyer.objects.get(user=dispatcher) == lawyer
    assert lawyer.capacity == 2


@pytest.mark.parametrize("capacity", [1, 20])
def test_a_capacity_from_one_to_twenty_is_taken(lawyer_a, capacity):
    lawyers.set_coverage(lawyer_a, Coverage(capacity=capacity, station_ids=[]))
    assert Lawyer.objects.get(user=lawyer_a).capacity == capacity


@pytest.mark.parametrize("capacity", [0, -1, 21])
def test_a_capacity_outside_one_to_twenty_is_refused(lawyer_a, capacity):
    assert refused(lawyer_a, capacity=capacity).field == "capacity"


@pytest.mark.parametrize(
    "point", [{"base_lat": 55.75}, {"base_lon": 37.61}], ids=["latitude only", "longitude only"]
)
def test_half_a_base_point_is_refused(lawyer_a, point):
    assert refused(lawyer_a, **point).field == "base_lat"


@pytest.mark.parametrize(
    "point",
    [
        {"base_lat": 90.5, "base_lon": 37.6},
        {"base_lat": -91, "base_lon": 37.6},
        {"base_lat": 55.7, "base_lon": 180.5},
        {"base_lat": 55.7, "base_lon": -181},
    ],
)
def test_a_base_point_off_the_globe_is_refused(lawyer_a, point):
    assert refused(lawyer_a, **point).field == "base_lat"


def test_the_edges_of_the_globe_are_a_base_point(lawyer_a):
    coverage = Coverage(capacity=3, station_ids=[], base_lat=-90, base_lon=180)
    lawyers.set_coverage(lawyer_a, coverage)
    assert Lawyer.objects.get(user=lawyer_a).base_lat == -90


@pytest.mark.parametrize("radius_km", [0, -5, 501])
def test_a_radius_outside_one_to_five_hundred_km_is_refused(lawyer_a, radius_km):
    assert refused(lawyer_a, radius_km=radius_km, **MOSCOW).field == "radius_km"


def test_a_radius_of_five_hundred_km_is_taken(lawyer_a):
    lawyers.set_coverage(lawyer_a, Coverage(capacity=3, station_ids=[], radius_km=500, **MOSCOW))
    assert Lawyer.objects.get(user=lawyer_a).radius_km == 500


def test_a_radius_without_a_base_point_is_refused(lawyer_a):
    assert refused(lawyer_a, radius_km=10).field == "radius_km"


def test_a_police_station_that_does_not_exist_is_refused(lawyer_a, stations):
    missing = PoliceStation.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    refusal = refused(lawyer_a, station_ids=[*station_ids(1), missing])
    assert refusal.field == "stations"
    assert str(missing) in str(refusal)


@pytest.mark.parametrize("languages", ["ru,en", "ru", "ru,en,hye"])
def test_language_codes_separated_by_commas_are_taken(lawyer_a, languages):
    lawyers.set_coverage(lawyer_a, Coverage(capacity=3, station_ids=[], languages=languages))
    assert Lawyer.objects.get(user=lawyer_a).languages == languages


@pytest.mark.parametrize(
    "languages", ["", "RU", "ru;en", "ru, en", "russian", "ru,", ",".join(["ru"] * 18)]
)
def test_anything_else_as_languages_is_refused(lawyer_a, languages):
    assert refused(lawyer_a, languages=languages).field == "languages"


def test_an_unknown_channel_is_refused(lawyer_a):
    refusal = refused(lawyer_a, channels="email,pigeon")
    assert refusal.field == "channels"
    assert "pigeon" in str(refusal)


def test_blank_entries_in_the_channels_are_ignored(lawyer_a):
    lawyers.set_coverage(lawyer_a, Coverage(capacity=3, station_ids=[], channels="email,,webpush"))
    assert Lawyer.objects.get(user=lawyer_a).channel_list == ["email", "webpush"]


@pytest.mark.parametrize("chat_id", ["", "   "])
def test_telegram_without_a_chat_id_is_refused(lawyer_a, chat_id):
    refusal = refused(lawyer_a, channels="email,telegram", telegram_chat_id=chat_id)
    assert refusal.field == "telegram_chat_id"


@pytest.mark.parametrize("phone", ["", "  "])
def test_sms_without_a_phone_number_is_refused(lawyer_a, phone):
    assert refused(lawyer_a, channels="sms", phone=phone).field == "phone"


def test_a_refused_coverage_changes_nothing(lawyer_a, stations):
    first = station_ids(1)
    lawyers.set_coverage(lawyer_a, Coverage(capacity=4, station_ids=first, **MOSCOW))
    refused(lawyer_a, capacity=5, station_ids=station_ids(3), channels="sms")
    lawyer = Lawyer.objects.get(user=lawyer_a)
    assert (lawyer.capacity, lawyer.channels, lawyer.base_lat) == (4, "email", 55.7558)
    assert list(lawyer.stations.values_list("pk", flat=True)) == first


def test_a_refused_coverage_creates_no_profile(dispatcher, db):
    refused(dispatcher, capacity=0)
    assert not Lawyer.objects.filter(user=dispatcher).exists()
