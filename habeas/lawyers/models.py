from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CHANNELS = ("email", "telegram", "webpush", "sms")


class LawyerQuerySet(models.QuerySet):
    def on_duty(self) -> "LawyerQuerySet":
        return self.filter(on_duty=True, user__is_active=True)


class Lawyer(models.Model):
    """A lawyer's working profile: where they cover, how many cases, how to reach them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lawyer"
    )
    phone = models.CharField(_("work phone"), max_length=32, blank=True)
    on_duty = models.BooleanField(_("on duty"), default=False)
    on_duty_since = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("active cases at most"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    stations = models.ManyToManyField(
        "stations.PoliceStation", blank=True, related_name="lawyers", verbose_name=_("stations")
    )
    base_lat = models.FloatField(_("base latitude"), null=True, blank=True)
    base_lon = models.FloatField(_("base longitude"), null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(
        _("covers within (km)"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    languages = models.CharField(_("languages"), max_length=50, default="ru")
    # Comma-separated, in the order the lawyer prefers: email, telegram, webpush, sms.
    channels = models.CharField(_("notify me by"), max_length=50, default="email")
    telegram_chat_id = models.CharField(_("Telegram chat id"), max_length=32, blank=True)

    objects = LawyerQuerySet.as_manager()

    class Meta:
        verbose_name = _("lawyer")
        verbose_name_plural = _("lawyers")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def channel_list(self) -> list[str]:
        return [c for c in (x.strip() for x in self.channels.split(",")) if c in CHANNELS]
