from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "habeas.evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from habeas.cases.services import details_forgotten
        from habeas.lib.sealing import register

        from .models import Evidence
        from .services import PURPOSE, forget_evidence

        register(Evidence, "sealed", PURPOSE)
        details_forgotten.connect(forget_evidence, dispatch_uid="evidence-forget-files")
