"""A refused field is answered with a stable code and a message in the reader's language.

The PWA maps the codes to its own words (and drops the refused fields from an SOS); every
other client reads the message, in Russian or English as its Accept-Language asks.
"""

import json
import re

import pytest

from habeas.api import errors
from habeas.cases.models import Case

CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")


def post(phone, body: dict, language: str, key: str = "lang-refusal-01"):
    return phone.client.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key, "Accept-Language": language},
    )


def refusal(response, field: str) -> dict:
    assert response.status_code == 422, response.content
    by_field = {e["field"]: e for e in response.json()["errors"]}
    assert field in by_field, response.json()
    return by_field[field]


BAD_FIELDS = [
    ({"person": {"date_of_birth": "2999-01-01"}}, "person.date_of_birth", "born_in_future"),
    ({"person": {"date_of_birth": "1800-01-01"}}, "person.date_of_birth", "born_too_early"),
    ({"person": {"date_of_birth": "12.04.1995"}}, "person.date_of_birth", "bad_date"),
    ({"person": {"phone": "call me maybe"}}, "person.phone", "bad_phone"),
    ({"person": {"full_name": "x" * 201}}, "person.full_name", "too_long"),
    ({"person": {"full_name": 42}}, "person.full_name", "not_text"),
    ({"person": {"note": "x" * 1001}}, "person.note", "too_long"),
    ({"person": {"nickname": "Маша"}}, "person.nickname", "unknown_field"),
    ({"person": "Мария"}, "person", "not_an_object"),
    ({"city": "12345"}, "city", "bad_city"),
    ({"contacts": [{"phone": "позвони маме"}]}, "contacts.0.phone", "bad_phone"),
    ({"contacts": [{"email": "mama"}]}, "contacts.0.email", "bad_email"),
    ({"contacts": [{"telegram": "@mama"}]}, "contacts.0.telegram", "bad_chat_id"),
    (
        {"contacts": [{"phone": "+7 900", "email": "m@example.org"}]},
        "contacts.0",
        "one_contact_way",
    ),
    ({"contacts": [{"phone": "+7 900 000 00 01"}] * 4}, "contacts", "too_many"),
    ({"location": {"lat": 91, "lon": 0}}, "location.lat", "too_large"),
    ({"location": {"lat": 0, "lon": -181}}, "location.lon", "too_small"),
    ({"location": {"lat": "north", "lon": 0}}, "location.lat", "not_a_number"),
    ({"location": {"lon": 37.6}}, "location.lat", "required"),
    (
        {"location": {"lat": 1, "lon": 1, "captured_at": "2999-01-01T00:00:00Z"}},
        "location.captured_at",
        "captured_in_future",
    ),
    ({"kind": "party"}, "kind", "not_a_choice"),
]


@pytest.mark.parametrize(("body", "field", "code"), BAD_FIELDS)
def test_each_refused_field_has_its_code_and_a_russian_or_english_message(phone, body, field, code):
    russian = refusal(post(phone, body, "ru"), field)
    english = refusal(post(phone, body, "en"), field)
    assert russian["code"] == english["code"] == code
    assert CYRILLIC.search(russian["message"]), russian
    assert not CYRILLIC.search(english["message"]), english
    assert "Value error" not in russian["message"] + english["message"]
    assert Case.objects.count() == 0


def test_the_summary_is_in_the_readers_language_too(phone):
    body = {"person": {"date_of_birth": "2999-01-01"}}
    assert CYRILLIC.search(post(phone, body, "ru").json()["detail"])
    assert post(phone, body, "en").json()["detail"] == "The request has invalid fields."


def test_a_future_birth_date_and_a_bad_phone_are_both_named_at_once(phone):
    body = {"person": {"full_name": "Мария", "date_of_birth": "2999-01-01", "phone": "звоните"}}
    errors_ = post(phone, body, "ru").json()["errors"]
    assert {(e["field"], e["code"]) for e in errors_} == {
        ("person.date_of_birth", "born_in_future"),
        ("person.phone", "bad_phone"),
    }


@pytest.mark.parametrize(
    ("key", "code"),
    [("short", "key_malformed"), ("timer-abcdefgh", "key_reserved")],
)
def test_a_bad_idempotency_key_is_named_in_the_readers_language(phone, key, code):
    russian = post(phone, {}, "ru", key=key)
    english = post(phone, {}, "en", key=key)
    assert russian.status_code == english.status_code == 400
    assert russian.json()["errors"][0]["code"] == english.json()["errors"][0]["code"] == code
    assert CYRILLIC.search(russian.json()["errors"][0]["message"])
    assert not CYRILLIC.search(english.json()["errors"][0]["message"])


def test_a_pydantic_error_the_table_does_not_know_is_invalid_not_a_crash():
    assert errors.invalid({"type": "some_future_pydantic_type"})[0] == "invalid"
    # A known code whose facts are missing still gives words, not a KeyError.
    code, text = errors.invalid({"type": "string_too_long", "ctx": {}})
    assert code == "too_long" and text


def test_every_shape_code_is_translated_into_russian():
    from django.utils import translation

    for code, text in errors.INVALID.items():
        with translation.override("en"):
            english = str(text)
        with translation.override("ru"):
            russian = str(text)
        assert russian != english, f"{code} has no Russian translation"
