from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtConfig(AppConfig):
    name = "habeas.court"
    verbose_name = _("Court")

    def ready(self) -> None:
        from habeas.cases.services import details_forgotten
        from habeas.lib.sealing import register

        from .models import Hearing
        from .services import PURPOSE, forget_hearings

        register(Hearing, "sealed", PURPOSE)
        details_forgotten.connect(forget_hearings, dispatch_uid="court-forget-hearings")
