"""An optional PIN keeps the details encrypted on the phone, and never stands in an SOS's way."""

import base64
import hashlib
import json
import re

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from playwright.sync_api import expect

from e2e.helpers import hold, ru, stored_values
from habeas.cases.models import Case
from habeas.cases.services import open_details

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "2468"


RANDOM = {"salt", "iv", "data"}


def storage(page) -> dict:
    return page.evaluate("Object.fromEntries(Object.entries(localStorage))")


def open_on_the_phone(sealed: dict, pin: str) -> dict:
    """Open habeas.sealed as store.js does: PBKDF2-SHA-256 from the PIN, then AES-GCM."""
    salt, iv, data = (base64.b64decode(sealed[k]) for k in ("salt", "iv", "data"))
    key = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, sealed["iterations"], dklen=32)
    return json.loads(AESGCM(key).decrypt(iv, data, None))


def set_pin(page) -> None:
    page.goto("/")
    page.fill("#full_name", "Мария Иванова")
    page.fill("#phone", "+7 916 555-01-02")
    page.select_option("#contact-type-1", "email")
    page.fill("#contact-value-1", "sister@example.org")
    page.click("#save-details")
    page.fill("#pin-new", PIN)
    page.fill("#pin-repeat", PIN)
    page.click("#pin-set-form button[type=submit]")
    expect(page.locator("#pin-state")).to_have_text(
        ru("PIN set. Your details are now stored encrypted.")
    )


def unlock(page, pin: str) -> None:
    page.fill("#pin-unlock", pin)
    page.click("#pin-unlock-form button[type=submit]")


def test_with_a_pin_the_phone_stores_no_plaintext_and_the_pin_unlocks_it(phone_page):
    page = phone_page
    set_pin(page)
    page.reload()

    stored = storage(page)
    assert "habeas.details" not in stored
    sealed = json.loads(stored["habeas.sealed"])
    assert sealed["iterations"] >= 200_000
    # The salt, iv and ciphertext are random base64, which holds any three digits now and
    # then: digits are looked for in everything else, and the ciphertext is opened instead.
    envelope = {**stored, "habeas.sealed": {k: sealed[k] for k in sealed.keys() - RANDOM}}
    raw = json.dumps(stored, ensure_ascii=False)
    clear = json.dumps(envelope, ensure_ascii=False)
    for secret in ("Мария", "Иванова", "sister@"):
        assert secret not in raw
    for secret in ("916", PIN):
        assert secret not in clear
    assert PIN not in stored_values(stored["habeas.sealed"])
    assert open_on_the_phone(sealed, PIN)["full_name"] == "Мария Иванова"

    expect(page.locator("#details-form")).to_be_hidden()
    expect(page.locator("#pin-unlock-form")).to_be_visible()
    expect(page.locator("#locked-note")).to_be_visible()
    assert page.input_value("#full_name") == ""

    unlock(page, PIN)
    expect(page.locator("#full_name")).to_have_value("Мария Иванова")
    expect(page.locator("#contact-type-1")).to_have_value("email")
    expect(page.locator("#contact-value-1")).to_have_value("sister@example.org")
    expect(page.locator("#locked-note")).to_be_hidden()

    # Edits while unlocked are sealed again; the unlocked details stay folded until asked for.
    expect(page.locator("#details-form")).to_be_hidden()
    page.click("#details-edit")
    page.fill("#full_name", "Мария Петрова")
    page.click("#save-details")
    expect(page.locator("#details-state")).to_have_text(
        ru("Saved on this phone only, encrypted with your PIN.")
    )
    assert "Петрова" not in json.dumps(storage(page), ensure_ascii=False)


def test_while_locked_the_sos_goes_at_once_without_the_details(phone_page):
    page = phone_page
    set_pin(page)
    page.reload()
    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()
    details = open_details(Case.objects.get().reports.get())
    assert not any(details["person"].values())
    assert not details.get("contacts")


def test_once_unlocked_the_sos_carries_the_details_and_contacts(phone_page):
    page = phone_page
    set_pin(page)
    page.reload()
    unlock(page, PIN)
    expect(page.locator("#full_name")).to_have_value("Мария Иванова")
    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()
    details = open_details(Case.objects.get().reports.get())
    assert details["person"]["full_name"] == "Мария Иванова"
    assert details["contacts"] == [{"email": "sister@example.org"}]


def test_five_wrong_pins_wipe_the_phone(phone_page):
    page = phone_page
    set_pin(page)
    page.reload()
    for left in (4, 3, 2, 1):
        unlock(page, "0000")
        expect(page.locator("#pin-unlock-state")).to_contain_text(str(left))
    # A reload does not reset the count.
    page.reload()
    unlock(page, "1111")
    expect(page).to_have_url(re.compile(r"/x$"))
    expect(page.locator("body")).to_have_attribute("data-wiped", "1", timeout=15000)
    assert page.evaluate("localStorage.length") == 0


def test_a_right_pin_resets_the_count_and_removing_the_pin_stores_plainly(phone_page):
    page = phone_page
    set_pin(page)
    page.reload()
    for _ in range(4):
        unlock(page, "0000")
        page.wait_for_function("() => document.getElementById('pin-unlock-state').textContent")
        page.evaluate("document.getElementById('pin-unlock-state').textContent = ''")
    unlock(page, PIN)
    expect(page.locator("#full_name")).to_have_value("Мария Иванова")
    assert "habeas.pinfails" not in storage(page)

    page.click("#pin-remove")
    stored = storage(page)
    assert "habeas.sealed" not in stored
    assert json.loads(stored["habeas.details"])["full_name"] == "Мария Иванова"
    page.reload()
    expect(page.locator("#full_name")).to_have_value("Мария Иванова")
