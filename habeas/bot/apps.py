from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BotConfig(AppConfig):
    name = "habeas.bot"
    verbose_name = _("Telegram bot")

    def ready(self) -> None:
        from habeas.lib.sealing import register

        from .models import Conversation
        from .state import PURPOSE

        register(Conversation, "sealed", PURPOSE)
