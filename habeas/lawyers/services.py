"""Writes to lawyers' profiles: duty and coverage."""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CHANNELS, Lawyer

# ISO 639 codes, comma-separated: "ru,en". The first one is the language of notifications.
LANGUAGES_RE = re.compile(r"^[a-z]{2,3}(,[a-z]{2,3})*$")


class RosterError(ValueError):
    """Roster data that cannot be right; `field` names the field, `message` is shown next to it.

    The message is translated into the active language: the console shows it as it is.
    """

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
        raise RosterError("capacity", _("Enter a number of cases from 1 to 20."))
    if (coverage.base_lat is None) != (coverage.base_lon is None):
        raise RosterError("base_lat", _("Give both latitude and longitude, or neither."))
    if coverage.base_lat is not None and not (
        -90 <= coverage.base_lat <= 90 and -180 <= coverage.base_lon <= 180
    ):
        raise RosterError("base_lat", _("These coordinates are out of range."))
    if coverage.radius_km is not None and not 0 < coverage.radius_km <= 500:
        raise RosterError("radius_km", _("Enter a radius from 1 to 500 km."))
    if coverage.radius_km and coverage.base_lat is None:
        raise RosterError("radius_km", _("A radius needs a base point: give its coordinates."))
    known = set(
        PoliceStation.objects.filter(pk__in=coverage.station_ids).values_list("pk", flat=True)
    )
    if unknown := set(coverage.station_ids) - known:
        raise RosterError(
            "stations",
            _("There is no police station with id %(ids)s.")
            % {"ids": ", ".join(str(i) for i in sorted(unknown))},
        )
    if not LANGUAGES_RE.match(coverage.languages) or len(coverage.languages) > 50:
        raise RosterError("languages", _("Enter language codes separated by commas: ru,en."))
    bad = [c for c in coverage.channels.split(",") if c.strip() and c.strip() not in CHANNELS]
    if bad:
        raise RosterError(
            "channels", _("Unknown channels: %(channels)s.") % {"channels": ", ".join(bad)}
        )
    if "telegram" in coverage.channels and not coverage.telegram_chat_id.strip():
        raise RosterError("telegram_chat_id", _("Telegram needs your chat id."))
    # Without a number an SMS offer would be dropped silently by the outbox.
    if "sms" in coverage.channels and not coverage.phone.strip():
        raise RosterError("phone", _("SMS needs your phone number."))


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
