from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "console"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("", views.queue, name="queue"),
]
