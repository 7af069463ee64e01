from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimersConfig(AppConfig):
    name = "habeas.timers"
    verbose_name = _("Check-in timers")

    def ready(self) -> None:
        from habeas.lib.sealing import register

        from .models import CheckInTimer
        from .services import PURPOSE

        register(CheckInTimer, "sealed", PURPOSE)
