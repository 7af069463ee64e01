"""Two-factor authentication for staff: one TOTP device and a set of recovery codes each.

django-otp does the cryptography (RFC 6238 codes, replay and throttling); this module only
decides which device a code is for. Side effects: devices and recovery codes are written to
the database. Neither opens anything from a copy of the database alone: an authenticator's
secret is derived from its stored seed with the server's secret (SealedTOTPDevice), and a
recovery code is kept as a keyed hash of it (django-otp would keep it in clear).
"""

import re
from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from habeas.lib.keyed import keyed_hash

from .models import SealedTOTPDevice as TOTPDevice
from .models import User

RECOVERY_CODES = 10
DEVICE_NAME = "console"
_SIX_DIGITS = re.compile(r"^\d{6}$")


@dataclass
class Check:
    device: Device | None
    throttled: bool = False

    @property
    def by_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def has_device(user: User) -> bool:
    """Whether the user has finished setting up an authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """Return the user's unconfirmed authenticator, creating it (a fresh secret) if needed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in by hand, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _clean(code: str) -> str:
    # People copy codes with spaces or dashes, and recovery codes in capitals.
    return re.sub(r"[\s-]", "", code or "").lower()


def confirm(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new authenticator with its first code; return fresh recovery codes, or None."""
    code = _clean(code)
    if not _SIX_DIGITS.match(code):
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # A user has one authenticator: older unconfirmed ones are dropped.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        return new_recovery_codes(device.user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES new ones and return them."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=recovery_digest(c)) for c in codes
        )
    return codes


def recovery_digest(code: str) -> str:
    """What is stored of a recovery code: a keyed hash, as long as django-otp's column allows
    (16 hex characters; the code itself has 40 bits, and the key is not in the database)."""
    return keyed_hash("recovery-code", code)[:16]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user: User, code: str) -> Check:
    """Check a code from the authenticator (six digits) or a recovery code (used up by this).

    Each goes only to its own kind of device, so a recovery code never counts as a wrong
    authenticator code towards django-otp's throttling, nor the other way round.
    """
    code = _clean(code)
    model = TOTPDevice if _SIX_DIGITS.match(code) else StaticDevice
    with transaction.atomic():
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        throttled = False
        for device in devices:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            token = code if model is TOTPDevice else recovery_digest(code)
            if device.verify_token(token):
                return Check(device)
    return Check(None, throttled=throttled)
