from django.urls import path

from habeas.urls import urlpatterns as habeas_urlpatterns

from . import views

# Under /api/ the baselines pass the middleware the SOS passes (console/pages_only.py);
# the no-op under a page's path passes every middleware, as the console's and PWA's do.
urlpatterns = [
    path("api/bench/noop", views.noop),
    path("api/bench/insert", views.insert),
    path("bench/noop", views.noop),
    *habeas_urlpatterns,
]
