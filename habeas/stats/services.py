"""The writes of statistics: only the anonymous install count."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import InstallDay


def count_install(day: date | None = None) -> None:
    """Add one to the day's count of first installs (local day, TIME_ZONE).

    One UPDATE ... SET count = count + 1, so two reports at once both count; the first of a day
    inserts the row, and an insert that loses the race to another falls back to the update.
    """
    day = day or timezone.localdate()
    if InstallDay.objects.filter(day=day).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            InstallDay.objects.create(day=day, count=1)
    except IntegrityError:  # another report made the day's row first
        InstallDay.objects.filter(day=day).update(count=F("count") + 1)
