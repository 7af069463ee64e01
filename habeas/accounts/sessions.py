"""Staff sessions stored so that a copy of the database opens none of them.

Django's database backend keeps the cookie's value itself in `django_session.session_key`: an
image of the server (or a backup) held a live, second-factor-verified dispatcher session that
opened every case with no password and no code. This backend stores a keyed hash of the key
instead (the key for it is SECRET_KEY, which lives in the environment, never in the database):
the browser's cookie still carries the key, the row is found by hashing it, and a key copied
out of the row is hashed once more on the way in and matches nothing.

Everything else (expiry, `clearsessions`, rotation on login) is Django's, unchanged.
"""

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from habeas.lib.keyed import keyed_hash

# django_session.session_key is 40 characters: 160 bits of the HMAC, far beyond guessing.
STORED_LENGTH = 40


def stored_key(session_key: str) -> str:
    """The form of a session key kept in the database: a keyed hash, never the key."""
    return keyed_hash("session", session_key)[:STORED_LENGTH]


class SessionStore(db.SessionStore):
    """The database session store, keyed by a hash of the cookie's value."""

    def _row(self):
        return self.model.objects.filter(
            session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
        )

    def _get_session_from_db(self):
        if self.session_key is None:
            return None
        try:
            return self._row().get()
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None
            return None

    async def _aget_session_from_db(self):
        if self.session_key is None:
            return None
        try:
            return await self._row().aget()
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None
            return None

    def exists(self, session_key):
        return self.model.objects.filter(session_key=stored_key(session_key)).exists()

    async def aexists(self, session_key):
        return await self.model.objects.filter(session_key=stored_key(session_key)).aexists()

    def create_model_instance(self, data):
        return self.model(
            session_key=stored_key(self._get_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    async def acreate_model_instance(self, data):
        return self.model(
            session_key=stored_key(await self._aget_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=await self.aget_expiry_date(),
        )

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=stored_key(session_key)).delete()

    async def adelete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        await self.model.objects.filter(session_key=stored_key(session_key)).adelete()
