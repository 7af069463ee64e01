"""A dead status link, an unknown page and a bug each get a page in the reader's language
with the hotline and a way home, made of nothing but itself (no request to any other site)."""

import re

import pytest
from django.test import Client
from django.urls import path

from habeas.cases.models import Case
from habeas.cases.services import watch_token_for
from habeas.urls import handler404, handler500
from habeas.urls import urlpatterns as site

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


# This module is the URLconf of the 500 test: the site's, with one view that fails.
urlpatterns = [path("boom", boom), *site]
__all__ = ["handler404", "handler500", "urlpatterns"]


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False  # Django shows its own technical pages when DEBUG is on
    settings.HABEAS_HOTLINE_PHONE = "+7 800 555-35-35"


def get(url: str, language: str, client: Client | None = None):
    client = client or Client()
    return client.get(url, headers={"Accept-Language": language})


def loads_nothing_else(page: str) -> bool:
    """No stylesheet, script, image or frame: the page asks no server for anything."""
    return not re.search(r"<(script|link|img|iframe|style)\b|\bsrc=", page)


@pytest.mark.parametrize(
    ("language", "heading", "hotline"),
    [
        ("ru", "Эта ссылка на статус не работает", "позвоните на горячую линию"),
        ("en", "This status link does not work", "call the hotline"),
    ],
)
def test_a_wrong_status_link_gets_the_localised_404(language, heading, hotline):
    response = get("/s/" + "x" * 22, language)
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}">' in page and heading in page and hotline in page
    assert 'href="tel:+78005553535"' in page and 'href="/"' in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert loads_nothing_else(page)


def test_the_status_link_of_a_case_no_longer_kept_gets_the_404(phone):
    assert phone.sos({"kind": "detention"}, key="lost-link-case-0001").status_code == 201
    link = "/s/" + watch_token_for("lost-link-case-0001")
    assert get(link, "en").status_code == 200
    Case.objects.all().delete()  # as an administrator deletes a case entered by mistake
    response = get(link, "en")
    assert response.status_code == 404
    assert "This status link does not work" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("ru", "Страница не найдена"), ("en", "Page not found")]
)
def test_an_unknown_page_gets_the_localised_404(language, heading):
    response = get("/no-such-page", language)
    assert response.status_code == 404
    page = response.content.decode()
    assert heading in page and "tel:+78005553535" in page and loads_nothing_else(page)


def test_a_mistyped_console_address_leads_back_to_the_queue_not_to_the_public_hotline():
    response = get("/console/no-such-page", "en")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and 'href="/console/"' in page and "tel:" not in page


@pytest.mark.parametrize(
    ("language", "heading"), [("ru", "Что-то пошло не так"), ("en", "Something went wrong")]
)
def test_a_bug_gets_the_localised_500_page(settings, language, heading):
    settings.ROOT_URLCONF = __name__
    response = get("/boom", language, Client(raise_request_exception=False))
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{language}">' in page and heading in page
    assert "tel:+78005553535" in page and 'href="/"' in page and loads_nothing_else(page)
