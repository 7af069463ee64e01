from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimersConfig(AppConfig):
    name = "habeas.timers"
    verbose_name = _("Check-in timers")
