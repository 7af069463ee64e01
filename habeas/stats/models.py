"""The one thing statistics keeps of its own: how many service workers installed each day.

A row is a local day and a number. Nothing else is kept of a report: no address, no user agent,
no cookie, no time finer than the day (docs/stats.md, "The anonymous install count").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstallDay(models.Model):
    day = models.DateField(_("local day"), unique=True)
    count = models.PositiveIntegerField(_("first installs"), default=0)

    class Meta:
        verbose_name = _("installs on a day")
        verbose_name_plural = _("installs per day")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.count}"
