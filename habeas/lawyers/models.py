from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Lawyer(models.Model):
    """A lawyer's working profile: how to reach them and whether they take cases now."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lawyer"
    )
    phone = models.CharField(_("work phone"), max_length=32, blank=True)
    on_duty = models.BooleanField(_("on duty"), default=False)
    capacity = models.PositiveSmallIntegerField(_("active cases at most"), default=3)

    class Meta:
        verbose_name = _("lawyer")
        verbose_name_plural = _("lawyers")

    def __str__(self) -> str:
        return str(self.user)
