"""The compact SOS that a phone sends by SMS when mobile data is cut (format v1).

    H1 <reference> <lat>,<lon> <yyyymmdd> <name>

`reference` is the public reference of the SOS's idempotency key (12 letters and digits, a
one-way hash of the key: see `reference` below), so the app's later retry and the SMS make
one case while the SMS never carries the key itself; `-` stands for an unknown location or
date of birth; the name is the rest of the text and may be empty. A typical Russian name
keeps it within one Cyrillic SMS (70 UCS-2 characters). Anything that does not parse exactly
is not a payload: the caller treats it as free text for a dispatcher, never as a
half-understood SOS.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date

PREFIX = "H1"
# ASCII digits only: "\d" alone would also take digits of other scripts.
REFERENCE_RE = re.compile(r"^[A-Za-z0-9]{12}$", re.ASCII)
COORD_RE = re.compile(r"^(-?\d{1,2}(?:\.\d{1,6})?),(-?\d{1,3}(?:\.\d{1,6})?)$", re.ASCII)
DOB_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
NAME_RE = re.compile(r"^[^\W\d_][\w .'\-]{0,99}$")
ONE_SMS_UCS2 = 70


@dataclass(frozen=True)
class Payload:
    reference: str
    lat: float | None
    lon: float | None
    date_of_birth: date | None
    full_name: str


def build(reference: str, lat: float | None, lon: float | None, dob: date | None, name: str) -> str:
    """Compose a v1 payload (the PWA does the same in JavaScript)."""
    where = f"{lat:.4f},{lon:.4f}" if lat is not None and lon is not None else "-"
    born = dob.strftime("%Y%m%d") if dob else "-"
    return " ".join(
        part for part in (PREFIX, reference, where, born, " ".join(name.split())) if part
    )


def parse(text: str) -> Payload | None:
    """Read a v1 payload, or return None if the text is anything else."""
    parts = text.strip().split(" ", 4)
    if len(parts) < 4 or parts[0] != PREFIX or not REFERENCE_RE.match(parts[1]):
        return None
    lat = lon = None
    if parts[2] != "-":
        match = COORD_RE.match(parts[2])
        if not match:
            return None
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
    born = None
    if parts[3] != "-":
        match = DOB_RE.match(parts[3])
        if not match:
            return None
        try:
            born = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        if born.year < 1900 or born > date.today():
            return None
    name = " ".join(parts[4].split()) if len(parts) == 5 else ""
    if name and not NAME_RE.match(name):
        return None
    return Payload(parts[1], lat, lon, born, name)


REFERENCE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def reference(key: str) -> str:
    """The public reference an SMS carries instead of the SOS's secret idempotency key.

    A one-way hash of the key (12 characters of 62, about 71 bits): whoever reads the SMS on
    its way, the carrier included, learns the reference, not the key that opens the status
    page. The PWA computes the same in JavaScript (sms-payload.js).
    """
    digest = hashlib.sha256(key.encode()).digest()
    return "".join(REFERENCE_ALPHABET[b % len(REFERENCE_ALPHABET)] for b in digest[:12])


# GSM 03.38: a text of these characters alone goes as 7-bit, 160 to one SMS (the extension
# characters count twice); one character outside them (any Cyrillic) makes the whole SMS
# UCS-2, 70 characters.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
ONE_SMS_GSM7 = 160


def fits_one_sms(text: str) -> bool:
    """Whether `text` goes as one SMS: 160 GSM-7 septets, or 70 UCS-2 characters."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return len(text) + sum(c in GSM7_EXTENSION for c in text) <= ONE_SMS_GSM7
    return len(text) <= ONE_SMS_UCS2
