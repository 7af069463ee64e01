from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "habeas.public"
    verbose_name = "PWA"
