"""Write and look up police stations: import from CSV or GeoJSON, nearest-station search."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from habeas.lib import geo
from habeas.lib.places import cities_by_nearest, city_key, city_of_address, is_city_name

from .models import PoliceStation

# Detainees are taken to stations across a whole city; beyond this a "nearest" is meaningless.
NEAREST_RADIUS_M = 30_000


@dataclass(frozen=True)
class NearbyStation:
    station: PoliceStation
    distance_m: float


class StationFileError(ValueError):
    """A station file cannot be read; the message names the row and the field."""


def nearest(lat: float, lon: float, limit: int = 3, radius_m: float = NEAREST_RADIUS_M):
    """Return up to `limit` stations within `radius_m`, nearest first."""
    found = [
        NearbyStation(s, geo.distance_m(lat, lon, s.lat, s.lon))
        for s in PoliceStation.objects.within_box(lat, lon, radius_m)
    ]
    found = [n for n in found if n.distance_m <= radius_m]
    found.sort(key=lambda n: n.distance_m)
    return found[:limit]


def _city(city, address, where: str) -> str:
    """The station's city: its own column, else read from the address ("" if neither says)."""
    city = (city or "").strip()
    if city and not is_city_name(city):
        raise StationFileError(f"{where}: city {city[:40]!r} is not a city's name")
    return city_key(city) if city else city_of_address(address or "")


def _row(source: str, source_id: str, name: str, address: str, lat, lon, weight, where: str):
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise StationFileError(f"{where}: lat/lon must be numbers") from exc
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        raise StationFileError(f"{where}: lat/lon out of range")
    if not (name or "").strip():
        raise StationFileError(f"{where}: name is empty")
    try:
        weight_i = int(weight or 0)
    except ValueError as exc:
        raise StationFileError(f"{where}: value must be a whole number") from exc
    return {
        "source": source,
        "source_id": str(source_id or ""),
        "name": name.strip()[:200],
        "address": (address or "").strip()[:300],
        "lat": lat_f,
        "lon": lon_f,
        "weight": max(weight_i, 0),
    }


def _read_csv(path: Path, source: str) -> list[dict]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = {f.lower(): f for f in reader.fieldnames or []}
        for needed in ("name", "lat", "lon"):
            if needed not in fields:
                raise StationFileError(f"{path.name}: column {needed!r} is missing")

        def get(row, key):
            return row.get(fields[key]) if key in fields else None

        return [
            _row(
                source,
                get(row, "id"),
                get(row, "name"),
                get(row, "address"),
                get(row, "lat"),
                get(row, "lon"),
                get(row, "value"),
                f"{path.name} line {n}",
            )
            | {"city": _city(get(row, "city"), get(row, "address"), f"{path.name} line {n}")}
            for n, row in enumerate(reader, start=2)
        ]


def _read_geojson(path: Path, source: str) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = data["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StationFileError(f"{path.name}: not a GeoJSON FeatureCollection") from exc
    rows = []
    for n, feature in enumerate(features):
        where = f"{path.name} feature {n}"
        try:
            lon, lat = feature["geometry"]["coordinates"][:2]
            props = feature.get("properties") or {}
        except (KeyError, TypeError, ValueError) as exc:
            raise StationFileError(f"{where}: needs a Point geometry") from exc
        rows.append(
            _row(
                source,
                feature.get("id") or props.get("id"),
                props.get("name"),
                props.get("address"),
                lat,
                lon,
                props.get("value"),
                where,
            )
            | {"city": _city(props.get("city"), props.get("address"), where)}
        )
    return rows


@transaction.atomic
def import_stations(
    path: Path, source: str | None = None, city: str | None = None
) -> tuple[int, int]:
    """Create or update stations from a CSV or GeoJSON file; return (created, updated).

    Rows are matched on (source, id), so importing the same file twice changes nothing.
    The whole file is checked before anything is written. Each station's city comes from a
    `city` column (property), else from its address, else from the nearest station of the
    file that has one (Moscow's rows give only the street); `city` names it for the rest.
    """
    source = source or path.stem
    if city and not is_city_name(city):
        raise StationFileError(f"{city[:40]!r} is not a city's name")
    reader = _read_geojson if path.suffix.lower() in {".geojson", ".json"} else _read_csv
    rows = reader(path, source)
    found = cities_by_nearest([(r["lat"], r["lon"], r["city"]) for r in rows])
    created = updated = 0
    for row, near in zip(rows, found, strict=True):
        row["city"] = near or city_key(city or "")
        if row["source_id"]:
            _, was_created = PoliceStation.objects.update_or_create(
                source=row["source"], source_id=row["source_id"], defaults=row
            )
        else:
            PoliceStation.objects.create(**row)
            was_created = True
        created += was_created
        updated += not was_created
    return created, updated


DEMO_FILE = Path(__file__).parent / "data" / "police-stations-2013-ovdinfo.csv"
