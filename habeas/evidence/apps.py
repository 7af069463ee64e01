from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "habeas.evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from habeas.cases.services import details_forgotten
        from habeas.lib.sealing import register, register_files

        from .models import Evidence
        from .services import PURPOSE, forget_evidence, reseal_pieces

        register(Evidence, "sealed", PURPOSE)
        register_files(reseal_pieces)
        details_forgotten.connect(forget_evidence, dispatch_uid="evidence-forget-files")
