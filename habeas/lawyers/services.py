"""Writes to lawyers' profiles: duty and coverage."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import CHANNELS, Lawyer


class RosterError(ValueError):
    """Roster data that cannot be right; the message names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Coverage:
    capacity: int
    station_ids: list[int]
    base_lat: float | None = None
    base_lon: float | None = None
    radius_km: int | None = None
    languages: str = "ru"
    channels: str = "email"
    telegram_chat_id: str = ""
    phone: str = ""


@transaction.atomic
def set_on_duty(user, on_duty: bool) -> Lawyer:
    """Put a lawyer on or off duty, creating the profile on first use."""
    lawyer, _ = Lawyer.objects.select_for_update().get_or_create(user=user)
    lawyer.on_duty = on_duty
    lawyer.on_duty_since = timezone.now() if on_duty else None
    lawyer.save(update_fields=["on_duty", "on_duty_since"])
    return lawyer


def _check(coverage: Coverage) -> None:
    from habeas.stations.models import PoliceStation

    if not 1 <= coverage.capacity <= 20:
        raise RosterError("capacity", "must be between 1 and 20")
    if (coverage.base_lat is None) != (coverage.base_lon is None):
        raise RosterError("base_lat", "give both latitude and longitude, or neither")
    if coverage.base_lat is not None and not (
        -90 <= coverage.base_lat <= 90 and -180 <= coverage.base_lon <= 180
    ):
        raise RosterError("base_lat", "coordinates out of range")
    if coverage.radius_km is not None and not 0 < coverage.radius_km <= 500:
        raise RosterError("radius_km", "must be between 1 and 500")
    if coverage.radius_km and coverage.base_lat is None:
        raise RosterError("radius_km", "a radius needs a base point")
    known = set(
        PoliceStation.objects.filter(pk__in=coverage.station_ids).values_list("pk", flat=True)
    )
    if unknown := set(coverage.station_ids) - known:
        raise RosterError("stations", f"unknown station ids {sorted(unknown)}")
    bad = [c for c in coverage.channels.split(",") if c.strip() and c.strip() not in CHANNELS]
    if bad:
        raise RosterError("channels", f"unknown channels {bad}")
    if "telegram" in coverage.channels and not coverage.telegram_chat_id.strip():
        raise RosterError("telegram_chat_id", "needed for Telegram")


@transaction.atomic
def set_coverage(user, coverage: Coverage) -> Lawyer:
    """Set where a lawyer works and how to reach them, refusing impossible values."""
    _check(coverage)
    lawyer, _ = Lawyer.objects.select_for_update().get_or_create(user=user)
    for field in (
        "capacity",
        "base_lat",
        "base_lon",
        "radius_km",
        "languages",
        "channels",
        "telegram_chat_id",
        "phone",
    ):
        setattr(lawyer, field, getattr(coverage, field))
    lawyer.save()
    lawyer.stations.set(coverage.station_ids)
    return lawyer
