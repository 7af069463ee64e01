from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "habeas.callbacks"
    verbose_name = _("Call-backs")

    def ready(self) -> None:
        from habeas.cases.services import details_forgotten
        from habeas.lib.sealing import register

        from .models import CallBack
        from .services import PURPOSE, forget_numbers

        register(CallBack, "sealed_number", PURPOSE)
        details_forgotten.connect(forget_numbers, dispatch_uid="callbacks-forget-numbers")
