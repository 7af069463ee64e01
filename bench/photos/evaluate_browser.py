"""Measure the Safe photo page's own face detection in Chromium, on the same evaluation set.

    HABEAS_DEBUG=1 .venv/bin/python bench/photos/evaluate_browser.py

The real page runs in Debian's headless Chromium (Playwright); its requests are answered
in-process by Django's test client, so no server and no network are involved. Each photo is
handed to the page's file input as a PNG and the page's boxes are read back when it is done.
Scored exactly like evaluate.py. Also times one 12-megapixel JPEG, picked to covered.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
os.environ.setdefault("HABEAS_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.test import Client, override_settings  # noqa: E402
from evalset import build  # noqa: E402
from evaluate import score, table, twelve_megapixels  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from habeas.photos.detect import Box  # noqa: E402

ORIGIN = "http://habeas.bench"
CHROMIUM = os.environ.get("HABEAS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 600_000


def png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def serve(client: Client):
    def handle(route) -> None:
        url = urlparse(route.request.url)
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            route.abort()  # nothing may leave the machine
            return
        response = client.get(url.path, headers={"Accept-Language": "en"})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        route.fulfill(status=response.status_code, headers=dict(response.headers), body=body)

    return handle


def scrub(page, name: str, data: bytes, mime: str) -> tuple[list[Box], float]:
    page.evaluate("delete document.body.dataset.scrubbed")  # the last photo's result
    start = time.perf_counter()
    page.set_input_files("#photo-input", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.wait_for_selector("body[data-scrubbed]", state="attached", timeout=WAIT_MS)
    seconds = time.perf_counter() - start
    raw = json.loads(page.evaluate("document.body.dataset.boxes"))
    boxes = [Box(round(b["x"]), round(b["y"]), round(b["w"]), round(b["h"])) for b in raw]
    return boxes, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="12-MP timing runs; 0 skips it")
    args = parser.parse_args()
    samples = build()
    urls = override_settings(ALLOWED_HOSTS=["testserver"])
    with urls, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.route("**/*", serve(Client()))
        page.goto(f"{ORIGIN}/photo/")
        page.wait_for_selector("body[data-ready=detector]", state="attached", timeout=WAIT_MS)
        backend = page.evaluate("faceapi.tf.getBackend()")
        detections, seconds = [], []
        for sample in samples:
            # The page grows boxes by the margin itself; score() grows again, so undo that here.
            boxes, took = scrub(page, f"{sample.name}.png", png(sample.image), "image/png")
            detections.append([shrink(b) for b in boxes])
            seconds.append(took)
        jpeg = twelve_megapixels(samples[3])
        big = [scrub(page, "12mp.jpg", jpeg, "image/jpeg")[1] for _ in range(args.runs)]
        tile = page.evaluate("document.body.dataset.tile")
        browser.close()
    name = f"face-api tiny ({backend}, tiles {tile} px)"
    print(f"{len(samples)} images; {statistics.median(seconds):.2f} s median per image\n")
    print(table({name: score(samples, detections)}, len(samples)))
    if not big:
        return
    print(
        f"\n- {name}, one 12-megapixel JPEG: median {statistics.median(big):.2f} s "
        f"(min {min(big):.2f}, max {max(big):.2f}, {args.runs} runs)"
    )


def shrink(box: Box, margin: float = 0.25) -> Box:
    """Undo the page's margin: the page grows each side by `margin` of the detected size."""
    w, h = box.w / (1 + 2 * margin), box.h / (1 + 2 * margin)
    return Box(round(box.x + (box.w - w) / 2), round(box.y + (box.h - h) / 2), round(w), round(h))


if __name__ == "__main__":
    main()
