from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    # At the root, not under /static/: a worker controls only the paths below its own.
    path("sw.js", views.service_worker, name="sw"),
]
