"""Measure the face detectors on the evaluation set: recall and false positives per size band.

    .venv/bin/python bench/photos/evaluate.py [--detectors haar,centerface] [--runs 5]

A face counts as covered when the boxes the product paints (detections grown by the same
margin as `cover.py`) hide at least 90 % of its true box: that is what keeps a person safe.
A detection is a false positive when under 30 % of it lies on any face (grown by half).
Prints a Markdown table and the time to scrub one 12-megapixel JPEG on this machine.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from evalset import BANDS, build

from habeas.photos.cover import MARGIN, scrub
from habeas.photos.detect import Box, get_detector

COVERED = 0.9
ON_FACE = 0.3


def band_of(width: int) -> str:
    for low, high in BANDS:
        if width <= high:
            return f"{low}–{high} px" if width >= low else f"< {BANDS[0][0]} px"
    return f"> {BANDS[-1][1]} px"


def score(samples, detections: list[list[Box]]) -> dict:
    """Count covered faces and false positives per band for one detector's boxes."""
    rows: dict[str, dict[str, int]] = {}

    def row(name: str) -> dict[str, int]:
        return rows.setdefault(name, {"faces": 0, "covered": 0, "false": 0})

    for sample, boxes in zip(samples, detections, strict=True):
        w, h = sample.image.size
        painted = np.zeros((h, w), bool)
        for box in boxes:
            g = box.grow(MARGIN, w, h)
            painted[g.y : g.y + g.h, g.x : g.x + g.w] = True
        on_face = np.zeros((h, w), bool)
        for x, y, fw, fh in sample.faces:
            r = row(band_of(fw))
            r["faces"] += 1
            x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + fw), min(h, y + fh)
            share = painted[y0:y1, x0:x1].mean() if x1 > x0 and y1 > y0 else 0
            r["covered"] += share >= COVERED
            g = Box(x, y, fw, fh).grow(0.5, w, h)
            on_face[g.y : g.y + g.h, g.x : g.x + g.w] = True
        for box in boxes:
            area = on_face[box.y : box.y + box.h, box.x : box.x + box.w]
            if not area.size or area.mean() < ON_FACE:
                row(band_of(box.w))["false"] += 1
    return rows


def table(results: dict[str, dict], images: int) -> str:
    bands = [f"{low}–{high} px" for low, high in BANDS]
    lines = [
        "| detector | face width | faces | covered | recall | false positives |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, rows in results.items():
        extra = [b for b in rows if b not in bands]
        for band in bands + extra:
            r = rows.get(band, {"faces": 0, "covered": 0, "false": 0})
            recall = f"{100 * r['covered'] / r['faces']:.0f} %" if r["faces"] else "–"
            lines.append(
                f"| {name} | {band} | {r['faces']} | {r['covered']} | {recall} | {r['false']} |"
            )
        big = [rows.get(b, {"faces": 0, "covered": 0}) for b in bands[1:]]
        faces, covered = sum(r["faces"] for r in big), sum(r["covered"] for r in big)
        fp = sum(r["false"] for r in rows.values())
        lines.append(
            f"| **{name}** | **≥ 40 px** | {faces} | {covered} | "
            f"**{100 * covered / max(faces, 1):.0f} %** | {fp} in {images} images |"
        )
    return "\n".join(lines)


def twelve_megapixels(sample) -> bytes:
    """The composite scaled to 4000 × 3000 and saved as a camera-like JPEG."""
    big = sample.image.resize((4000, 3000))
    out = io.BytesIO()
    big.save(out, format="JPEG", quality=92)
    return out.getvalue()


def timing(detector, jpeg: bytes, runs: int) -> str:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        scrub(jpeg, detector)
        seconds.append(time.perf_counter() - start)
    return (
        f"median {statistics.median(seconds):.2f} s "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}, {runs} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detectors", default="haar,centerface")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timing-only", action="store_true", help="skip recall, time 12 MP")
    args = parser.parse_args()
    samples = build()
    faces = sum(len(s.faces) for s in samples)
    print(f"{len(samples)} images, {faces} faces\n")
    results, times = {}, {}
    for name in args.detectors.split(","):
        detector = get_detector(name)
        if not args.timing_only:
            start = time.perf_counter()
            detections = [detector.detect(np.asarray(s.image)) for s in samples]
            per_image = (time.perf_counter() - start) / len(samples)
            results[name] = score(samples, detections)
            print(f"{name}: {per_image:.2f} s per 1600 × 1200 image", file=sys.stderr)
        times[name] = timing(detector, twelve_megapixels(samples[3]), args.runs)
    if results:
        print(table(results, len(samples)))
    print("\nTime to scrub one 12-megapixel JPEG (decode, detect, cover, encode):")
    for name, text in times.items():
        print(f"- {name}: {text}")


if __name__ == "__main__":
    main()
