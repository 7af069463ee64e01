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
FRAME_MS = 1000 / 60


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


@pytest.fixture
def held_photo_page(browser, live_server):
    """A Russian phone whose requests for the face finder's script wait until the test lets
    them go. No service worker: its cache would answer the page without the test seeing it."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
        base_url=live_server.url,
        service_workers="block",
    )
    page = context.new_page()
    held: list = []
    page.route("**/face-api*.js", lambda route: held.append(route))
    yield page, held
    context.close()


def strings() -> dict:
    with translation.override("ru"):
        return catalogues.safe_photo()


def wait_for_held(page, held: list) -> None:
    for _ in range(200):  # the page asks for it in idle time after its load event
        if held:
            return
        page.wait_for_timeout(50)
    raise AssertionError("the page never asked for the face finder")


def test_the_page_has_no_face_finder_until_it_is_painted_and_then_loads_it(phone_page):
    page = phone_page
    fetched: list[tuple[str, bool]] = []
    page.context.on(
        "request",
        lambda r: (
            fetched.append((r.url.rsplit("/", 1)[1], bool(r.service_worker)))
            if "/vendor/face-api/" in r.url
            else None
        ),
    )
    page.goto("/photo/")
    expect(page.locator("body")).to_have_attribute("data-ready", "detector", timeout=DETECT_MS)
    # The page-state text says so once the finder is ready.
    expect(page.locator("#photo-state")).to_have_text(strings()["ready"])
    timings = page.evaluate(
        """() => {
          const script = performance.getEntriesByType("resource")
            .find((e) => e.name.includes("/face-api"));
          const paint = performance.getEntriesByName("first-contentful-paint")[0];
          const nav = performance.getEntriesByType("navigation")[0];
          return {script: script.startTime, paint: paint.startTime, load: nav.loadEventEnd};
        }"""
    )
    # Asked for only after the load event and the first paint: it never holds the page up.
    # (A paint is stamped when its frame is shown, a moment after the idle time that follows
    # the frame begins: one frame's leeway.)
    assert timings["script"] >= timings["load"], timings
    assert timings["script"] > timings["paint"] - FRAME_MS, timings
    # The worker fetched the script and the model once, on this first visit, and the page
    # took them from its cache: over a bad network 1.5 MB is not sent twice.
    files = ["face-api.js", "tiny_face_detector_model-weights_manifest.json"]
    files.append("tiny_face_detector_model.bin")
    assert sorted(name for name, by_worker in fetched if by_worker) == sorted(files)
    served = page.evaluate(
        """() => performance.getEntriesByType("resource")
          .filter((e) => e.name.includes("/vendor/face-api/"))
          .map((e) => [e.name.split("/").pop(), e.workerStart > 0 && e.transferSize === 0])"""
    )
    assert sorted(served) == sorted([name, True] for name in files)


def test_the_picker_works_before_the_face_finder_and_the_photo_waits_for_it(held_photo_page):
    page, held = held_photo_page
    page.goto("/photo/")
    wait_for_held(page, held)
    assert page.evaluate("typeof window.faceapi") == "undefined"
    assert page.locator("body").get_attribute("data-ready") is None
    # The picker answers while the finder is still on its way: the chooser opens, the photo
    # shows, and the person is told what it waits for.
    with page.expect_file_chooser() as chooser:
        page.click("label.pick")
    chooser.value.set_files(
        files=[{"name": "march.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}]
    )
    expect(page.locator("#editor")).to_be_visible()
    expect(page.locator("#photo-state")).to_have_text(strings()["loading"])
    assert page.evaluate("document.getElementById('photo-canvas').width") == astronaut().width
    assert page.locator("body").get_attribute("data-scrubbed") is None
    # Then the finder arrives, and the photo waiting for it is scrubbed.
    for route in held:
        route.continue_()
    expect(page.locator("body")).to_have_attribute("data-ready", "detector", timeout=DETECT_MS)
    expect(page.locator("body")).to_have_attribute("data-scrubbed", "1", timeout=DETECT_MS)
    expect(page.locator("#photo-check")).to_have_text(strings()["check"])


def test_a_face_finder_that_cannot_load_leaves_covering_by_hand(held_photo_page):
    page, held = held_photo_page
    page.goto("/photo/")
    wait_for_held(page, held)
    for route in held:
        route.abort()
    expect(page.locator("body")).to_have_attribute("data-ready", "manual", timeout=DETECT_MS)
    expect(page.locator("#photo-state")).to_have_text(strings()["failed"])
    page.set_input_files(
        "#photo-input",
        files=[{"name": "march.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}],
    )
    expect(page.locator("body")).to_have_attribute("data-scrubbed", "0", timeout=DETECT_MS)
    expect(page.locator("#editor")).to_be_visible()
    expect(page.locator("#photo-state")).to_have_text(strings()["failed"])


def pixel_block(page, x: int, y: int, w: int, h: int) -> np.ndarray:
    data = page.evaluate(
        """([x, y, w, h]) => Array.from(document.getElementById("photo-canvas")
            .getContext("2d").getImageData(x, y, w, h).data)""",
        [x, y, w, h],
    )
    return np.array(data).reshape(h, w, 4)[:, :, :3]
