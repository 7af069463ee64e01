"""Test photos made from pictures that scikit-image ships (no download, no real person's photo
beyond the public-domain NASA astronaut portrait)."""

import io
from pathlib import Path

import skimage
from PIL import Image

DATA = Path(skimage.__file__).parent / "data"
# The astronaut's face (brows to chin, forehead included) in astronaut.png, measured by hand.
ASTRONAUT_FACE = (176, 58, 100, 118)


def astronaut() -> Image.Image:
    return Image.open(DATA / "astronaut.png").convert("RGB")


def jpeg(image: Image.Image, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92, **params)
    return out.getvalue()


def segments(data: bytes) -> list[str]:
    """List a JPEG's marker segments before the image data, e.g. ["APP0", "DQT", "SOF0"]."""
    names = {0xC0: "SOF0", 0xC2: "SOF2", 0xC4: "DHT", 0xDB: "DQT", 0xDD: "DRI", 0xFE: "COM"}
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    found, i = [], 2
    while i < len(data):
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: only entropy-coded pixels follow
            break
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        found.append(
            f"APP{marker - 0xE0}" if 0xE0 <= marker <= 0xEF else names.get(marker, hex(marker))
        )
        i += 2 + length
    return found
