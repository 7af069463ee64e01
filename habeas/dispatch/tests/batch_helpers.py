"""Cases waiting at one police station, for the tests of the verbs over several cases."""

import itertools
from datetime import timedelta

from django.utils import timezone

from habeas.cases import services as cases
from habeas.cases.models import Case

_keys = itertools.count(1)

# Beside the stations, so each case's nearest station is that one (the coarse grid moves a
# point by up to ~300 m, still far nearer to it than to any other).
TVERSKOY_POINT = (55.7649, 37.6116)
ARBAT_POINT = (55.7478, 37.5889)


def waiting_at(point: tuple[float, float], n: int, *, minutes_ago: int = 0) -> list[Case]:
    """Open `n` cases reported from near `point`, the first the oldest, a minute apart."""
    opened = []
    for i in range(n):
        intake = cases.Intake(location=cases.Location(lat=point[0], lon=point[1]))
        case = cases.open_case(intake, idempotency_key=f"batch-case-{next(_keys):06d}").case
        created = timezone.now() - timedelta(minutes=minutes_ago + n - i)
        Case.objects.filter(pk=case.pk).update(created_at=created)
        opened.append(Case.objects.get(pk=case.pk))
    return opened
