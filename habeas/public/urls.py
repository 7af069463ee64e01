from django.urls import path

from . import guide_views, photo_views, stats_views, views, watch_views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    # The discreet install: the same app under a neutral name and icon, chosen on the phone.
    path("notes.webmanifest", views.discreet_manifest, name="discreet_manifest"),
    # At the root, not under /static/: a worker controls only the paths below its own.
    path("sw.js", views.service_worker, name="sw"),
    path("summons/", views.summons, name="summons"),
    path("help/", views.aid_request, name="request"),
    path("someone/", views.relative, name="relative"),
    path("timer/", views.timer, name="timer"),
    # The panic wipe: short enough to type with shaking hands.
    path("x", views.wipe, name="wipe"),
    # Its own worker, scoped to the page: the face model is cached only once the page is used.
    path("photo/", photo_views.safe_photo, name="safe_photo"),
    path("photo/sw.js", photo_views.service_worker, name="safe_photo_sw"),
    path("guides/", guide_views.guide_list, name="guides"),
    path("guides/<slug:slug>/", guide_views.guide_detail, name="guide"),
    # Open statistics: the page and its downloads (docs/stats.md), no login.
    path("stats/", stats_views.stats_page, name="stats"),
    path("stats/stats.json", stats_views.stats_json, name="stats_json"),
    path("stats/<slug:table>.csv", stats_views.stats_csv, name="stats_csv"),
    # Trusted contacts' read-only link: short, because it goes out in one SMS.
    path("s/<str:token>", watch_views.watch, name="watch"),
]
