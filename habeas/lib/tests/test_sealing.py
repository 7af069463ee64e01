import base64
import os

import pytest

from habeas.lib.sealing import Keyring, SealError, blind_index, normalise_name


def key(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')}"


def test_a_sealed_blob_opens_to_the_same_data_and_hides_it():
    ring = Keyring.parse(key("a1"))
    blob = ring.seal({"full_name": "Мария Иванова"}, "report")
    assert "Мария".encode() not in blob
    assert ring.open(blob, "report") == {"full_name": "Мария Иванова"}


def test_a_blob_names_its_key_and_still_opens_after_a_new_key_is_added():
    old = key("old")
    blob = Keyring.parse(old).seal({"x": 1}, "report")
    rotated = Keyring.parse(f"{key('new')},{old}")
    assert Keyring.key_id_of(blob) == "old"
    assert rotated.open(blob, "report") == {"x": 1}
    assert Keyring.key_id_of(rotated.seal({"x": 1}, "report")) == "new"


def test_a_blob_does_not_open_for_another_purpose_or_after_tampering():
    ring = Keyring.parse(key("a1"))
    blob = ring.seal({"x": 1}, "report")
    with pytest.raises(SealError):
        ring.open(blob, "event-note")
    with pytest.raises(SealError):
        ring.open(blob[:-1] + bytes([blob[-1] ^ 1]), "report")
    with pytest.raises(SealError):
        Keyring.parse(key("other")).open(blob, "report")


@pytest.mark.parametrize(
    "spec",
    ["", "nokey", "a:short", "bad id:" + "A" * 43, key("a") + "," + key("a").replace("a:", "a:")],
)
def test_malformed_key_specs_are_refused(spec):
    with pytest.raises(ValueError):
        Keyring.parse(spec)


def test_two_spellings_of_one_name_give_the_same_blind_index():
    assert normalise_name("  Фёдор   Петров-Водкин ") == normalise_name("водкин петров федор")
    assert blind_index("k", "Фёдор Петров", "1990-01-01") == blind_index(
        "k", "ПЕТРОВ ФЕДОР", "1990-01-01"
    )
    assert blind_index("k", "Фёдор Петров", "1990-01-01") != blind_index(
        "k", "Фёдор Петров", "1990-01-02"
    )
    assert blind_index("k", "Фёдор Петров", "1990-01-01") != blind_index(
        "other", "Фёдор Петров", "1990-01-01"
    )
