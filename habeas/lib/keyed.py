"""Keyed hashes over the server's secret, one per purpose, and the digest of a bearer token.

Every hash that must not be recomputable from a copy of the database alone goes through
`keyed_hash`: the purpose string gives each use its own key, so a value hashed for one purpose
(a rate-limit bucket) can never be matched against another (a status token).
"""

import hashlib
import hmac


def _secret() -> str:
    from django.conf import settings  # lib stays importable without a configured Django

    return settings.SECRET_KEY


def keyed_hash(purpose: str, value: str, *, secret: str | None = None) -> str:
    """HMAC-SHA256 of `value` under a key derived from the secret and `purpose`, as hex."""
    key = hashlib.sha256(f"habeas:{purpose}:{secret or _secret()}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def token_digest(token: str) -> str:
    """The stored form of a random bearer token: it has the entropy, so no key is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
