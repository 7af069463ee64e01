from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawyersConfig(AppConfig):
    name = "habeas.lawyers"
    verbose_name = _("Lawyers")
