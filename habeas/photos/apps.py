from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "habeas.photos"
    verbose_name = "Safe photos"
