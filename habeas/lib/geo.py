"""Distances and coarse locations on the sphere; plain math, no GIS server."""

import math

EARTH_RADIUS_M = 6_371_000.0
# 0.005 degrees of latitude is about 550 m: the routing envelope keeps no more precision.
COARSE_STEP_DEG = 0.005


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def coarse(value: float) -> float:
    """Round a coordinate to the coarse grid used in clear columns."""
    return round(round(value / COARSE_STEP_DEG) * COARSE_STEP_DEG, 4)


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """Return (min_lat, max_lat, min_lon, max_lon) enclosing a circle, for an index prefilter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 0.01)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
