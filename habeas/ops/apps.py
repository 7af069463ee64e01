from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "habeas.ops"
    label = "ops"
    verbose_name = "Operations"
