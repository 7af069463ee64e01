from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "habeas.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from habeas.lib.sealing import register

        from .models import CaseEvent, Report
        from .services import NOTE_PURPOSE, REPORT_PURPOSE

        register(Report, "sealed", REPORT_PURPOSE)
        register(CaseEvent, "sealed_note", NOTE_PURPOSE)
