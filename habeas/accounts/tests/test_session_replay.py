"""A copy of the database replays no staff session (issue 14, finding 5).

django_session used to hold the cookie's value itself: a dispatcher's row copied out of a
seized server or a backup opened every case's personal data with no password and no code.
"""

from datetime import timedelta

from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import staff_client
from habeas.accounts.sessions import SessionStore, stored_key


def cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_session_key_copied_from_the_database_opens_nothing(dispatcher):
    """Guards against: replaying a copied django_session row as a verified staff session."""
    real = staff_client(dispatcher)
    assert real.get("/console/").status_code == 200
    [row] = Session.objects.all()
    assert row.session_key != cookie(real)

    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = row.session_key
    response = thief.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")

    assert real.get("/console/").status_code == 200  # the real cookie still works


def test_the_row_holds_a_keyed_hash_of_the_cookie_and_logout_deletes_it(dispatcher):
    client = staff_client(dispatcher)
    [row] = Session.objects.all()
    assert row.session_key == stored_key(cookie(client))
    assert cookie(client) not in str(Session.objects.values_list())

    client.post("/console/logout/")
    assert not Session.objects.exists()


def test_clearsessions_removes_expired_sessions_and_keeps_live_ones(dispatcher):
    staff_client(dispatcher)
    old = SessionStore()
    old["x"] = 1
    old.set_expiry(timezone.now() - timedelta(seconds=1))
    old.save()
    assert Session.objects.count() == 2
    call_command("clearsessions")
    assert Session.objects.count() == 1
    assert not SessionStore(old.session_key).exists(old.session_key)


def test_the_async_methods_use_the_hash_too(db):
    store = SessionStore()
    async_to_sync(store.aset)("who", "dina")
    async_to_sync(store.asave)()
    key = store.session_key
    assert Session.objects.filter(session_key=stored_key(key)).exists()
    assert not Session.objects.filter(session_key=key).exists()

    again = SessionStore(key)
    assert async_to_sync(again.aget)("who") == "dina"
    assert async_to_sync(again.aexists)(key)
    async_to_sync(again.adelete)()
    assert not Session.objects.exists()
