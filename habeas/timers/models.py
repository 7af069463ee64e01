"""Check-in timers: "if I have not checked in by HH:MM, send my SOS".

The timer lives in the database and its firing is a scheduled task, so a server restart across
the deadline still fires it. The details wait sealed, like a report's.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimerState(models.TextChoices):
    ARMED = "armed", _("Armed")
    CANCELLED = "cancelled", _("Cancelled")
    FIRED = "fired", _("Fired")
    DELETED = "deleted", _("Deleted")


class CheckInTimer(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    # A keyed hash of the client's key, never the key: the key derives the timer's token.
    idempotency_key = models.CharField(max_length=100, unique=True)
    fingerprint = models.CharField(max_length=64)
    # person, location and contacts, as an SOS would carry them; None once deleted or fired.
    sealed = models.BinaryField(null=True)
    pin_hash = models.CharField(max_length=200)
    duress_hash = models.CharField(max_length=200)
    deadline = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=16, choices=TimerState.choices, default=TimerState.ARMED)
    # Fired under duress (or after too many wrong PINs): the phone must still read "cancelled".
    under_duress = models.BooleanField(default=False)
    wrong_pins = models.PositiveSmallIntegerField(default=0)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("check-in timer")
        verbose_name_plural = _("check-in timers")

    def __str__(self) -> str:
        return f"timer {self.pk}: {self.state}"

    @property
    def public_state(self) -> str:
        """What the phone is told: a duress alert looks exactly like a check-in or deletion
        (the state field holds that cover; rows from before it read "fired")."""
        if self.under_duress and self.state == TimerState.FIRED:
            return TimerState.CANCELLED
        return self.state
