from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "habeas.console"
    verbose_name = "Console"
