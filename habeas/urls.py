from django.contrib import admin
from django.urls import include, path

from habeas.api.api import api
from habeas.ops import health, metrics

# A database restart answers 503 with Retry-After (JSON for the API), a bug still 500.
handler500 = "habeas.outage.server_error"
# Not found (a mistyped status link, one of a case no longer kept, an unknown page): localised,
# with the hotline.
handler404 = "habeas.outage.not_found"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("console/", include("habeas.console.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("habeas.public.urls")),
]
