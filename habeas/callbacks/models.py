"""Call-backs: a person who reported a case asks the hotline to phone them.

The row names the report that asked (its sealed details hold the number to call); a request
from the Telegram bot brings its own number instead, sealed here and destroyed with the case's
personal data. The console opens either for the operator who calls, and that look is audited.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    WAITING = "waiting", _("Waiting for a call")
    DONE = "done", _("Called")
    NO_ANSWER = "no_answer", _("No answer")
    LATER = "later", _("Try again later")


OPEN_STATES = (State.WAITING, State.NO_ANSWER, State.LATER)


class CallBackQuerySet(models.QuerySet):
    def to_call(self) -> "CallBackQuerySet":
        """Waiting, unanswered or put off: the oldest request first, as a queue should be."""
        return (
            self.filter(state__in=OPEN_STATES)
            .select_related("case", "report", "handled_by")
            .order_by("try_after", "requested_at")
        )


class CallBack(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="callbacks")
    report = models.ForeignKey(
        "cases.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The number to call when it came with the request (the bot), AES-GCM sealed.
    sealed_number = models.BinaryField(null=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    requested_at = models.DateTimeField(auto_now_add=True)
    # When to try again; the request time for a new one, so the queue orders on one column.
    try_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallBackQuerySet.as_manager()

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        constraints = [
            # One open request per report: pressing the button again asks nothing new.
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(state__in=["waiting", "no_answer", "later"]),
                name="one_open_callback_per_report",
            )
        ]

    def __str__(self) -> str:
        return f"call-back {self.pk}: {self.state}"
