import json

import pytest

from habeas.stations.models import PoliceStation
from habeas.stations.services import DEMO_FILE, StationFileError, import_stations


@pytest.mark.django_db
def test_the_2013_sample_imports_once_and_a_second_import_changes_nothing():
    assert import_stations(DEMO_FILE, "ovdinfo-2013") == (67, 0)
    assert import_stations(DEMO_FILE, "ovdinfo-2013") == (0, 67)
    tverskoy = PoliceStation.objects.get(name="ОВД Тверской")
    assert (tverskoy.lat, tverskoy.lon, tverskoy.weight) == (55.764788, 37.611573, 232)


@pytest.mark.django_db
def test_a_geojson_feature_collection_imports(tmp_path):
    path = tmp_path / "stations.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "id": "7",
                        "geometry": {"type": "Point", "coordinates": [30.31, 59.94]},
                        "properties": {"name": "76 отдел полиции", "address": "Невский"},
                    }
                ],
            }
        )
    )
    assert import_stations(path) == (1, 0)
    station = PoliceStation.objects.get()
    assert (station.lat, station.lon, station.source) == (59.94, 30.31, "stations")


GOOD_ROW = "9,ОВД Хороший,37.6,55.7\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "bad_row", "message"),
    [
        ("id,Name,lon,lat", "1,ОВД,abc,55", "line 3: lat/lon must be numbers"),
        ("id,Name,lon,lat", "1,ОВД,37,95", "line 3: lat/lon out of range"),
        ("id,Name,lon,lat", "1,,37,55", "line 3: name is empty"),
        ("id,Title,lon,lat", "1,ОВД,37,55", "column 'name' is missing"),
    ],
)
def test_a_bad_file_is_refused_whole_with_the_row_named(tmp_path, header, bad_row, message):
    path = tmp_path / "bad.csv"
    path.write_text(f"{header}\n{GOOD_ROW}{bad_row}\n")
    with pytest.raises(StationFileError) as error:
        import_stations(path)
    assert message in str(error.value)
    assert PoliceStation.objects.count() == 0


@pytest.mark.django_db
def test_a_broken_geojson_file_is_refused(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text("{not json")
    with pytest.raises(StationFileError):
        import_stations(path)


@pytest.mark.django_db
def test_each_station_gets_its_city_from_its_address_or_its_neighbours():
    import_stations(DEMO_FILE, "ovdinfo-2013")
    cities = dict(PoliceStation.objects.values_list("name", "city"))
    assert cities["ОВД Тверской"] == "москва"  # the address gives only the street
    assert cities["2 ОП"] == "санкт-петербург"
    assert cities["97 ОП"] == "санкт-петербург"  # a village next to St Petersburg
    assert cities["ОП 2 (Дзержинск)"] == "дзержинск"


@pytest.mark.django_db
def test_a_city_column_names_the_city_and_nonsense_in_it_is_refused(tmp_path):
    path = tmp_path / "kazan.csv"
    path.write_text("id,Name,lon,lat,Address,city\n1,ОП Вишневский,49.12,55.79,ул. Шмидта,Kazan\n")
    assert import_stations(path) == (1, 0)
    assert PoliceStation.objects.get().city == "казань"
    path.write_text("id,Name,lon,lat,Address,city\n2,ОП Х,49.1,55.7,ул. Y,<b>1</b>\n")
    with pytest.raises(StationFileError, match="line 2: city"):
        import_stations(path)
