import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from conftest import PASSWORD
from habeas.accounts.models import User


def login_request():
    # django-axes counts failures per request, so authentication always needs one.
    return RequestFactory().post("/console/login/")


def test_staff_log_in_with_their_email_in_any_case(lawyer_a):
    found = authenticate(login_request(), username="ANNA@lawyers.test".lower(), password=PASSWORD)
    assert found == lawyer_a
    assert authenticate(login_request(), username="anna@lawyers.test", password="wrong") is None


def test_passwords_are_stored_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS[1:]  # as configured, without tests'
    user = User.objects.create_user(email="new@hotline.test", password=PASSWORD)
    assert user.password.startswith("argon2$")


@pytest.mark.django_db
def test_emails_are_stored_lower_case_and_unique():
    User.objects.create_user(email="Dina@Hotline.TEST", password=PASSWORD)
    assert User.objects.get().email == "dina@hotline.test"
