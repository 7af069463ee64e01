"""Seal and open personal data with AES-256-GCM under keys held outside the database.

This is the only module that sees key material. A sealed blob is
``b"hb1." + key_id + b"." + nonce(12) + ciphertext``: the key id travels with the data so that
after rotation every blob still names the key that opens it. The purpose string is bound as
associated data, so a blob sealed as a report cannot be replayed as something else.
"""

import base64
import hashlib
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = b"hb1."


class SealError(Exception):
    """A blob cannot be opened: unknown key, tampering or a malformed value."""


@dataclass(frozen=True)
class Keyring:
    """Data keys by id; the first one seals new data."""

    keys: dict[str, bytes]
    current: str

    @classmethod
    def parse(cls, spec: str) -> "Keyring":
        """Build a keyring from ``"id:key,id:key"`` (keys are 32 bytes, base64url)."""
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for entry in (part.strip() for part in spec.split(",")):
            if not entry:
                continue
            key_id, sep, encoded = entry.partition(":")
            if not sep or not key_id.isalnum() or len(key_id) > 16:
                raise ValueError(
                    "each data key must look like 'id:base64key' (id: 1-16 letters/digits)"
                )
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            if len(raw) != 32:
                raise ValueError(f"data key {key_id!r} must be 32 bytes")
            if key_id in keys:
                raise ValueError(f"data key id {key_id!r} appears twice")
            keys[key_id] = raw
            order.append(key_id)
        if not order:
            raise ValueError("no data keys given")
        return cls(keys=keys, current=order[0])

    def seal(self, data: dict, purpose: str) -> bytes:
        """Encrypt a JSON-serialisable dict with the current key."""
        nonce = os.urandom(12)
        plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        body = AESGCM(self.keys[self.current]).encrypt(nonce, plaintext, purpose.encode())
        return PREFIX + self.current.encode() + b"." + nonce + body

    def open(self, blob: bytes, purpose: str) -> dict:
        """Decrypt a blob sealed by any key in the ring."""
        return json.loads(self.open_bytes(blob, purpose))

    def seal_bytes(self, data: bytes, purpose: str) -> bytes:
        """Encrypt raw bytes (a piece of an uploaded file) with the current key."""
        nonce = os.urandom(12)
        body = AESGCM(self.keys[self.current]).encrypt(nonce, data, purpose.encode())
        return PREFIX + self.current.encode() + b"." + nonce + body

    def open_bytes(self, blob: bytes, purpose: str) -> bytes:
        """Decrypt raw bytes sealed by any key in the ring."""
        key, rest = self._key_for(blob)
        try:
            return AESGCM(key).decrypt(rest[:12], rest[12:], purpose.encode())
        except Exception as exc:  # InvalidTag: wrong key, wrong purpose or tampered data
            raise SealError("blob does not open") from exc

    def _key_for(self, blob: bytes) -> tuple[bytes, bytes]:
        blob = bytes(blob)
        if not blob.startswith(PREFIX):
            raise SealError("not a sealed blob")
        key_id, sep, rest = blob[len(PREFIX) :].partition(b".")
        key = self.keys.get(key_id.decode(errors="replace"))
        if not sep or key is None or len(rest) < 13:
            raise SealError("no key for this blob")
        return key, rest

    @staticmethod
    def key_id_of(blob: bytes) -> str:
        """Name the key that sealed a blob, without opening it."""
        return bytes(blob)[len(PREFIX) :].partition(b".")[0].decode()


def normalise_name(name: str) -> str:
    """Fold case, accents, ё/е and spacing so that two spellings of a name compare equal."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    return " ".join(sorted(text.replace("-", " ").split()))


def blind_index(index_key: str, full_name: str, date_of_birth: str) -> str:
    """Keyed hash of a normalised name and date of birth, for matching without opening."""
    message = f"{normalise_name(full_name)}|{date_of_birth}".encode()
    return hmac.new(index_key.encode(), message, hashlib.sha256).hexdigest()


def name_index(index_key: str, full_name: str) -> str:
    """Keyed hash of a normalised name alone, for "possible matches" without opening.

    Under its own purpose label, so it never equals a blind index and one cannot be tested
    against the other; "" for an empty name, which matches nobody.
    """
    name = normalise_name(full_name)
    if not name:
        return ""
    message = f"name-index|{name}".encode()
    return hmac.new(index_key.encode(), message, hashlib.sha256).hexdigest()


_keyrings: dict[str, Keyring] = {}


def keyring() -> Keyring:
    """The keyring from settings.HABEAS_DATA_KEYS, parsed once per distinct value."""
    from django.conf import settings  # lib stays importable without a configured Django

    spec = settings.HABEAS_DATA_KEYS
    if spec not in _keyrings:
        _keyrings[spec] = Keyring.parse(spec)
    return _keyrings[spec]


def seal(data: dict, purpose: str) -> bytes:
    """Seal with the configured current key."""
    return keyring().seal(data, purpose)


def open_sealed(blob: bytes, purpose: str) -> dict:
    """Open a blob with the configured keys."""
    return keyring().open(blob, purpose)


# Where sealed blobs live: (model, field, purpose), registered by each app at start-up, so
# that key rotation finds every blob without knowing the apps.
SEALED_FIELDS: list[tuple[type, str, str]] = []


def register(model: type, field: str, purpose: str) -> None:
    """Declare a model field that holds blobs sealed for `purpose`."""
    if (model, field, purpose) not in SEALED_FIELDS:
        SEALED_FIELDS.append((model, field, purpose))


# Sealed data kept outside the database (evidence files): each app registers a function that
# re-encrypts its own under the current key and returns (re-encrypted, left under an older key).
SEALED_FILES: list = []


def register_files(reseal_files) -> None:
    """Declare a function that re-seals an app's files, for key rotation."""
    if reseal_files not in SEALED_FILES:
        SEALED_FILES.append(reseal_files)


def reseal(blob: bytes, purpose: str) -> bytes | None:
    """Re-encrypt a blob under the current key; None if it already uses it."""
    ring = keyring()
    if Keyring.key_id_of(blob) == ring.current:
        return None
    return ring.seal(ring.open(blob, purpose), purpose)
