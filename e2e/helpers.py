"""What the browser tests do alike: read a Russian string, hold a button like a thumb, list
what the phone stored."""

import json

from django.utils import translation
from django.utils.translation import gettext


def ru(text: str) -> str:
    """The Russian the page shows for an English msgid."""
    with translation.override("ru"):
        return gettext(text)


def hold(page, locator, ms: int = 1800) -> None:
    """Press and hold a button with the pointer for `ms` milliseconds."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(ms)
    page.mouse.up()


def stored_values(text: str) -> list[str]:
    """Every value in a stored JSON document, each as a string, nested ones included.

    Tests compare a short secret (a 4-digit PIN) with these values, not search the whole
    document for it: a random token or ciphertext holds any four digits now and then.
    """

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)
        else:
            yield str(value)

    return list(walk(json.loads(text)))
