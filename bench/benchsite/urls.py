from django.urls import path

from habeas.urls import urlpatterns as habeas_urlpatterns

from . import views

urlpatterns = [
    path("bench/noop", views.noop),
    path("bench/insert", views.insert),
    *habeas_urlpatterns,
]
