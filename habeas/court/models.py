"""Hearings and decisions of a case's court stage: what a lawyer files after the station.

Where and before whom a hearing sits, and under which article, is sealed: with a court's
public calendar it would name the person. When and what came of it stay in the clear, for
reminders, the deadlines page and the organisation's counts. All of it goes with the case's
personal data at the retention date; the case keeps only its anonymous outcome.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    FINE = "fine", _("Fine")
    ARREST = "arrest", _("Administrative arrest")
    COMPULSORY_WORK = "work", _("Compulsory work")
    WARNING = "warning", _("Warning")
    DISMISSED = "dismissed", _("Case dismissed")
    RETURNED = "returned", _("Returned to the police")


class Hearing(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    # {"court", "address", "judge", "article"}, AES-GCM sealed (court.services.PURPOSE).
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}@{self.starts_at:%Y-%m-%d %H:%M}"


class Decision(models.Model):
    hearing = models.OneToOneField(Hearing, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    fine_rub = models.PositiveIntegerField(_("fine (roubles)"), null=True, blank=True)
    arrest_days = models.PositiveSmallIntegerField(_("arrest (days)"), null=True, blank=True)
    work_hours = models.PositiveSmallIntegerField(
        _("compulsory work (hours)"), null=True, blank=True
    )
    # The day the copy of the decision was handed over or received: the appeal term runs
    # from it (KoAP 30.3 p.1).
    copy_received_on = models.DateField(_("copy received on"))
    appeal_deadline = models.DateField(_("appeal deadline"), db_index=True)
    arrest_ends_on = models.DateField(_("arrest ends"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.hearing_id}:{self.outcome}"
