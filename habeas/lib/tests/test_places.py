"""Cities as people type them meet under one key; a station's address names its city."""

import pytest

from habeas.lib.places import (
    cities_by_nearest,
    city_key,
    city_label,
    city_of_address,
    is_city_name,
)


@pytest.mark.parametrize(
    "typed",
    ["Санкт-Петербург", "санкт петербург", "Питер", "СПб", "St Petersburg", " г. Петербург "],
)
def test_every_usual_way_of_writing_st_petersburg_is_one_city(typed):
    assert city_key(typed) == "санкт-петербург"


def test_any_other_town_is_folded_but_kept():
    assert city_key("г. Ростов - на - Дону") == city_key("ростов-на-дону") == "ростов-на-дону"
    assert city_key("Орёл") == city_key("орел")
    assert city_key("") == ""


def test_staff_read_known_cities_in_their_language_and_others_as_typed():
    assert city_label("москва", "en") == "Moscow"
    assert city_label("москва", "ru") == "Москва"
    assert city_label("ростов-на-дону") == "Ростов-на-дону"


@pytest.mark.parametrize(
    "text", ["Москва", "Нижний Новгород", "Ростов-на-Дону", "St. Petersburg", ""]
)
def test_city_names_are_accepted(text):
    assert is_city_name(text)


@pytest.mark.parametrize("text", ["12345", "Москва; DROP", "<script>", "x" * 101, "-Москва"])
def test_what_is_not_a_city_name_is_refused(text):
    assert not is_city_name(text)


def test_a_stations_address_names_its_city_or_says_nothing():
    assert city_of_address("Санкт-Петербург, ул. Садовая, 58") == "санкт-петербург"
    assert city_of_address("Нижегородская область, г Балахна, ул Дзержинского") == "балахна"
    assert city_of_address("ул. Большая Дмитровка, 28") == ""


def test_a_station_with_no_city_takes_the_nearest_one_within_a_city_s_reach():
    points = [
        (55.7649, 37.6116, ""),  # Tverskoy, Moscow: the address names only the street
        (55.79, 37.60, "москва"),
        (59.93, 30.36, "санкт-петербург"),
        (60.02, 30.65, ""),  # Vsevolozhsk district, next to St Petersburg
        (43.12, 131.89, ""),  # Vladivostok: nothing named within 60 km
    ]
    assert cities_by_nearest(points) == [
        "москва",
        "москва",
        "санкт-петербург",
        "санкт-петербург",
        "",
    ]
