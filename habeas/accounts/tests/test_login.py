import pytest
from django.contrib.auth import authenticate

from conftest import PASSWORD
from habeas.accounts.models import User


def test_staff_log_in_with_their_email_in_any_case(lawyer_a):
    assert authenticate(username="ANNA@lawyers.test".lower(), password=PASSWORD) == lawyer_a
    assert authenticate(username="anna@lawyers.test", password="wrong") is None


def test_passwords_are_stored_with_argon2(lawyer_a):
    assert User.objects.get(pk=lawyer_a.pk).password.startswith("argon2$")


@pytest.mark.django_db
def test_emails_are_stored_lower_case_and_unique():
    User.objects.create_user(email="Dina@Hotline.TEST", password=PASSWORD)
    assert User.objects.get().email == "dina@hotline.test"
