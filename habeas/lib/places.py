"""Cities as people type them: one key per city, so "Питер", "СПб" and "St Petersburg" meet.

A case with no location is offered only to lawyers covering the city the person gave
(dispatch.policy.covers); the city is compared by this key, which is also what is stored. The
aliases are for the cities protests are largest in; any other name is kept as typed, folded
(case, ё, "г." in front), so two people who write a town the same way still meet.
"""

import re

from . import geo

# Key -> (Russian, English) as shown to staff.
LABELS = {
    "москва": ("Москва", "Moscow"),
    "санкт-петербург": ("Санкт-Петербург", "St Petersburg"),
    "нижний новгород": ("Нижний Новгород", "Nizhny Novgorod"),
    "екатеринбург": ("Екатеринбург", "Yekaterinburg"),
    "новосибирск": ("Новосибирск", "Novosibirsk"),
    "казань": ("Казань", "Kazan"),
    "красноярск": ("Красноярск", "Krasnoyarsk"),
    "владивосток": ("Владивосток", "Vladivostok"),
    "тверь": ("Тверь", "Tver"),
}

ALIASES = {
    "moscow": "москва",
    "moskva": "москва",
    "мск": "москва",
    "msk": "москва",
    "санкт петербург": "санкт-петербург",
    "петербург": "санкт-петербург",
    "питер": "санкт-петербург",
    "спб": "санкт-петербург",
    "spb": "санкт-петербург",
    "st petersburg": "санкт-петербург",
    "st. petersburg": "санкт-петербург",
    "saint petersburg": "санкт-петербург",
    "sankt-peterburg": "санкт-петербург",
    "petersburg": "санкт-петербург",
    "н. новгород": "нижний новгород",
    "нижний": "нижний новгород",
    "nizhny novgorod": "нижний новгород",
    "nizhniy novgorod": "нижний новгород",
    "yekaterinburg": "екатеринбург",
    "ekaterinburg": "екатеринбург",
    "екб": "екатеринбург",
    "novosibirsk": "новосибирск",
    "kazan": "казань",
    "krasnoyarsk": "красноярск",
    "vladivostok": "владивосток",
    "tver": "тверь",
}

MAX_LENGTH = 100
# Letters of any script, spaces, hyphens, dots and apostrophes: a town's name, nothing more.
_CITY_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .'’-])*$")
_PREFIX_RE = re.compile(r"^(г\.|г |город |city of )\s*")


def is_city_name(text: str) -> bool:
    """Whether a person's text can be a city's name (no digits, no symbols, not too long)."""
    text = " ".join(text.split())
    return not text or (len(text) <= MAX_LENGTH and bool(_CITY_RE.match(text)))


def city_key(text: str) -> str:
    """The one key of a city however it was typed; "" for no city."""
    key = " ".join((text or "").split()).casefold().replace("ё", "е")
    key = _PREFIX_RE.sub("", key).strip(" .")
    key = re.sub(r"\s*-\s*", "-", key)
    return ALIASES.get(key, key)[:MAX_LENGTH]


def city_label(key: str, language: str = "ru") -> str:
    """A city's name for staff: the known cities in the reader's language, others as typed."""
    if not key:
        return ""
    if key in LABELS:
        russian, english = LABELS[key]
        return english if language.startswith("en") else russian
    return key[:1].upper() + key[1:]


def known_cities(language: str = "ru") -> list[str]:
    """The cities offered as the person types (any other name is taken as well)."""
    return sorted(city_label(key, language) for key in LABELS)


def city_of_address(address: str) -> str:
    """A city's key read from a station's address ("Санкт-Петербург, ул. …", "г. Дзержинск,
    …"), or "" when the address does not say (Moscow's stations list only the street)."""
    parts = [p.strip() for p in (address or "").split(",") if p.strip()]
    for part in parts:
        folded = part.casefold()
        if folded.startswith(("г.", "г ")):
            return city_key(part)
    if parts and (key := city_key(parts[0])) in LABELS:
        return key
    return ""


# A station whose address names no city is in the city of the nearest one that does, this
# close: Moscow's stations give only the street, and a city spans about 40 km.
SAME_CITY_M = 60_000


def cities_by_nearest(points: list[tuple[float, float, str]]) -> list[str]:
    """Each (lat, lon, city) point's city, filled from the nearest point that has one within
    SAME_CITY_M when its own is empty ("" if none is that close)."""
    named = [(lat, lon, city) for lat, lon, city in points if city]
    found = []
    for lat, lon, city in points:
        if not city and named:
            distance, nearest = min((geo.distance_m(lat, lon, a, b), c) for a, b, c in named)
            city = nearest if distance <= SAME_CITY_M else ""
        found.append(city)
    return found
