"""The project's URLs plus the Safe photo page, under the same `public:` namespace.

The real habeas/public/urls.py gains these two lines when the page is wired in; until then
tests use this URLconf (pytest.mark.urls).
"""

from django.urls import include, path

import habeas.urls
from habeas.public import photo_views
from habeas.public import urls as public_urls

PHOTO = [
    path("photo/", photo_views.safe_photo, name="safe_photo"),
    path("photo/sw.js", photo_views.service_worker, name="safe_photo_sw"),
]
names = {p.name for p in public_urls.urlpatterns}
public = [*public_urls.urlpatterns, *(p for p in PHOTO if p.name not in names)]

urlpatterns = [
    *(p for p in habeas.urls.urlpatterns if str(p.pattern) != ""),
    path("", include((public, "public"))),
]
