from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "habeas.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from habeas.lib.sealing import register

        from .models import Follower, Message
        from .services import FOLLOWER_PURPOSE, PURPOSE

        register(Message, "sealed", PURPOSE)
        register(Follower, "sealed", FOLLOWER_PURPOSE)
