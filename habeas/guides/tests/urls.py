"""The public app's routes plus the guide pages, so tests need not touch habeas/public/urls.py."""

from django.urls import include, path

from habeas.public import guide_views
from habeas.public import urls as public_urls

guide_patterns = [
    path("guides/", guide_views.guide_list, name="guides"),
    path("guides/<slug:slug>/", guide_views.guide_detail, name="guide"),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((guide_patterns + public_urls.urlpatterns, "public"))),
]
