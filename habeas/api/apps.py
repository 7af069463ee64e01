from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "habeas.api"
    verbose_name = "API"
