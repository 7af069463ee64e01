"""Safe photo in real Chromium: scrub a photo offline, save it, and prove nothing left the phone."""

import io
from pathlib import Path

import numpy as np
import pytest
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from habeas.photos.tests.photos import ASTRONAUT_FACE, astronaut, jpeg, segments
from habeas.public import catalogues

pytestmark = [pytest.mark.browser]

# Faces are found on the CPU backend here (no GPU); a phone's WebGL is far faster.
DETECT_MS = 120_000


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (55.0, 45.0, 53.6), 3: "E", 4: (37.0, 36.0, 41.8)})
    return jpeg(astronaut(), exif=exif, comment=b"taken at the protest")


def open_ready(page) -> None:
    page.goto("/photo/")
    expect(page.locator("body")).to_have_attribute("data-ready", "detector", timeout=DETECT_MS)


def test_a_photo_is_scrubbed_offline_and_saved_without_a_single_request(phone_page):
    page = phone_page
    open_ready(page)
    # The page's worker caches the page and the model on this first visit.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "detector", timeout=DETECT_MS)

    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.set_input_files(
        "#photo-input",
        files=[{"name": "march.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}],
    )
    expect(page.locator("body")).to_have_attribute("data-scrubbed", "1", timeout=DETECT_MS)
    # Never a silent pass: the person is always told to check (in Russian, like this phone).
    with translation.override("ru"):
        check = catalogues.safe_photo()["check"]
    expect(page.locator("#photo-check")).to_have_text(check)
    with page.expect_download() as download:
        page.click("#save")
    saved = Path(download.value.path()).read_bytes()
    assert requests == [], f"the page made requests while scrubbing: {requests}"

    assert set(segments(saved)) <= {"APP0", "DQT", "DHT", "SOF0", "DRI"}
    assert b"PhoneMaker" not in saved and b"protest" not in saved
    image = Image.open(io.BytesIO(saved))
    assert not image.getexif()
    pixels = np.asarray(image.convert("RGB")).astype(int)
    x, y, w, h = ASTRONAUT_FACE
    assert pixels[y : y + h, x : x + w].max() <= 12, "the face is not fully covered"
    # The rest of the photo is the photo, not a black page.
    assert pixels[400:500, 0:100].mean() > 40


def test_a_box_drawn_by_hand_is_covered_and_a_tap_removes_it(phone_page):
    page = phone_page
    open_ready(page)
    page.set_input_files(
        "#photo-input",
        files=[{"name": "march.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}],
    )
    expect(page.locator("body")).to_have_attribute("data-scrubbed", "1", timeout=DETECT_MS)
    canvas = page.locator("#photo-canvas")
    box = canvas.bounding_box()
    scale = box["width"] / 512
    # Cover the badge on the suit (around x 280-330, y 340-380 in the photo) by dragging.
    page.mouse.move(box["x"] + 275 * scale, box["y"] + 335 * scale)
    page.mouse.down()
    page.mouse.move(box["x"] + 335 * scale, box["y"] + 385 * scale, steps=5)
    page.mouse.up()
    badge = pixel_block(page, 285, 345, 40, 30)
    assert badge.max() == 0
    # A tap on the face's box removes it: a false box can be taken away.
    fx, fy, fw, fh = ASTRONAUT_FACE
    page.mouse.click(box["x"] + (fx + fw / 2) * scale, box["y"] + (fy + fh / 2) * scale)
    assert pixel_block(page, fx, fy, fw, fh).max() > 100
    page.click("#undo")
    assert pixel_block(page, fx, fy, fw, fh).max() == 0


def test_blur_and_pixelation_come_with_a_warning(phone_page):
    page = phone_page
    page.goto("/photo/")
    page.set_input_files(
        "#photo-input",
        files=[{"name": "march.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}],
    )
    expect(page.locator("#editor")).to_be_visible(timeout=DETECT_MS)
    warning = page.locator("#style-warning")
    expect(warning).to_be_hidden()
    page.check('input[name="cover-style"][value="pixelate"]')
    expect(warning).to_be_visible()
    page.check('input[name="cover-style"][value="solid"]')
    expect(warning).to_be_hidden()


def pixel_block(page, x: int, y: int, w: int, h: int) -> np.ndarray:
    data = page.evaluate(
        """([x, y, w, h]) => Array.from(document.getElementById("photo-canvas")
            .getContext("2d").getImageData(x, y, w, h).data)""",
        [x, y, w, h],
    )
    return np.array(data).reshape(h, w, 4)[:, :, :3]
