from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OfferState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Ran out")
    CANCELLED = "cancelled", _("Withdrawn")


class OfferQuerySet(models.QuerySet):
    def pending(self) -> "OfferQuerySet":
        return self.filter(state=OfferState.PENDING)


class Offer(models.Model):
    """A case put to one lawyer, with a deadline to accept."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="offers")
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers"
    )
    state = models.CharField(max_length=16, choices=OfferState.choices, default=OfferState.PENDING)
    attempt = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            # The database itself refuses a second open offer for one case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="pending"), name="one_pending_offer_per_case"
            ),
        ]
        indexes = [models.Index(fields=["lawyer", "state"])]

    def __str__(self) -> str:
        return f"{self.case_id}->{self.lawyer_id}:{self.state}"
