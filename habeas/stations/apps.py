from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "habeas.stations"
    verbose_name = _("Police stations")
