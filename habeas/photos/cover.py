"""Cover faces with a solid fill and re-encode the photo so that no metadata survives.

A solid fill, not blur or pixelation: both can be partly reversed, and a blurred face can
still be matched. Re-encoding from bare pixels drops EXIF (GPS, camera serial, time), XMP,
IPTC, maker notes, embedded thumbnails, ICC profiles and comments: none of them is copied.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from .detect import Box, Detector

FILL = (0, 0, 0)
# Haar and CenterFace box the face from brows to chin; hair, ears and jaw identify too.
MARGIN = 0.25
JPEG_QUALITY = 90


class UnreadablePhoto(ValueError):
    """The file is not an image Pillow can decode."""


@dataclass
class Scrubbed:
    """A covered, metadata-free JPEG and the boxes that were covered (in its pixels)."""

    jpeg: bytes
    boxes: list[Box]
    width: int
    height: int


def load(data: bytes) -> Image.Image:
    """Decode a photo, turned upright by its EXIF orientation, as RGB.

    The orientation tag is about to be dropped, so the pixels must carry it instead.
    Raises UnreadablePhoto for anything that is not a decodable image.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return upright.convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise UnreadablePhoto(str(exc) or type(exc).__name__) from exc


def cover(image: Image.Image, boxes: Iterable[Box], margin: float = MARGIN) -> list[Box]:
    """Paint every box, grown by `margin`, with a solid fill; return the painted boxes.

    Changes `image` in place.
    """
    draw = ImageDraw.Draw(image)
    painted = []
    for box in boxes:
        grown = box.grow(margin, image.width, image.height)
        if grown.w and grown.h:
            # rectangle()'s corners are inclusive, hence the -1.
            draw.rectangle(
                (grown.x, grown.y, grown.x + grown.w - 1, grown.y + grown.h - 1), fill=FILL
            )
            painted.append(grown)
    return painted


def encode_clean(image: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    """Encode the pixels alone as a baseline JPEG: no EXIF, XMP, ICC, comment or thumbnail.

    A new image is built from the raw pixels so that nothing in `image.info` can leak.
    """
    bare = Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def scrub(data: bytes, detector: Detector, margin: float = MARGIN) -> Scrubbed:
    """Find faces, cover them and re-encode without metadata. Pure: writes nothing."""
    image = load(data)
    found = detector.detect(np.asarray(image))
    painted = cover(image, found, margin)
    return Scrubbed(encode_clean(image), painted, image.width, image.height)
