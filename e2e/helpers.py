"""What the browser tests do alike: read a Russian string, hold a button like a thumb."""

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
