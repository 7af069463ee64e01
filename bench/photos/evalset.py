"""Build the face-detection evaluation set from images that scikit-image ships (no download).

Each image is a busy background (coffee, a cat, a rocket, gravel, text, ...) with 3-7 faces
pasted in at known sizes from 24 to 400 px, turned a little (±15°), mirrored and relit at
random. The faces come from the same package: the astronaut (frontal, colour), the cameraman
(three-quarter profile, grey) and scikit-image's 100 LFW face crops (small, grey; used only up
to 64 px because they are 25 px originals). The two source photos are included as they are.
Seeded: the same set every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skimage
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

SEED = 7
CANVAS = (1600, 1200)
BANDS = [(24, 39), (40, 79), (80, 159), (160, 400)]
DATA = Path(skimage.__file__).parent / "data"
# Files inside the scikit-image wheel, read directly: its loaders may fetch others with pooch.
BACKGROUNDS = [
    "coffee.png", "chelsea.png", "rocket.jpg", "motorcycle_left.png", "hubble_deep_field.jpg",
    "brick.png", "grass.png", "gravel.png", "page.png", "coins.png", "text.png", "moon.png",
    "horse.png", "clock_motion.png", "retina.jpg", "ihc.png",
]  # fmt: skip


@dataclass
class Face:
    """A face source: an RGB crop with context and the face's box inside it."""

    image: Image.Image
    box: tuple[int, int, int, int]  # x, y, w, h of the face in `image`
    max_size: int  # largest pasted face width that still looks like a photo


@dataclass
class Sample:
    name: str
    image: Image.Image
    faces: list[tuple[int, int, int, int]]  # true face boxes x, y, w, h


def bundled(filename: str) -> Image.Image:
    """Open a picture that ships inside scikit-image's wheel, as RGB."""
    path = DATA / filename
    if not path.exists():
        raise RuntimeError(f"{filename} is not bundled with this scikit-image")
    return Image.open(path).convert("RGB")


def rgb(array: np.ndarray) -> Image.Image:
    if array.dtype != np.uint8:
        array = (np.clip(array, 0, 1) * 255).astype(np.uint8)
    if array.ndim == 2:
        array = np.dstack([array] * 3)
    return Image.fromarray(array[:, :, :3])


def face_sources() -> list[Face]:
    astronaut = bundled("astronaut.png")
    camera = bundled("camera.png")
    faces = [
        # Crops with hair, neck and background around the face; box measured by hand.
        Face(astronaut.crop((126, 8, 326, 228)), (50, 50, 100, 118), 400),
        Face(camera.crop((160, 60, 300, 240)), (40, 52, 58, 84), 200),
    ]
    lfw = np.load(DATA / "lfw_subset.npy")[:100]
    faces += [Face(rgb(crop), (0, 0, 25, 25), 64) for crop in lfw]
    return faces


def background(rng: random.Random) -> Image.Image:
    """A collage of two bundled pictures: busy, with edges and textures everywhere."""
    names = rng.sample(BACKGROUNDS, 2)
    canvas = bundled(names[0]).resize(CANVAS)
    second = bundled(names[1])
    w = rng.randint(CANVAS[0] // 3, CANVAS[0] // 2)
    canvas.paste(second.resize((w, CANVAS[1])), (rng.choice([0, CANVAS[0] - w]), 0))
    return canvas


def paste_face(canvas: Image.Image, face: Face, size: int, rng: random.Random, taken: list):
    """Paste `face` so its box is `size` px wide; return the true box, or None if no room."""
    fx, fy, fw, fh = face.box
    scale = size / fw
    crop = face.image.resize(
        (max(1, round(face.image.width * scale)), max(1, round(face.image.height * scale))),
        Image.LANCZOS,
    )
    if rng.random() < 0.5:
        crop = crop.transpose(Image.FLIP_LEFT_RIGHT)
        fx = face.image.width - fx - fw
    crop = ImageEnhance.Brightness(crop).enhance(rng.uniform(0.7, 1.2))
    crop = ImageEnhance.Contrast(crop).enhance(rng.uniform(0.8, 1.2))
    # An oval, feathered mask: no hard square edge for the detector to latch onto.
    mask = Image.new("L", crop.size, 0)
    ImageDraw.Draw(mask).ellipse((0, 0, crop.width - 1, crop.height - 1), fill=255)
    if face.max_size <= 64:  # LFW crops are the face itself: keep them square
        mask = Image.new("L", crop.size, 255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1, crop.width // 30)))
    angle = rng.uniform(-15, 15)
    crop = crop.rotate(angle, resample=Image.BICUBIC, expand=True)
    rot_mask = mask.rotate(angle, resample=Image.BICUBIC, expand=True)
    # Where the face went: rotate the face box's centre about the crop's centre. The true box
    # is the face's own size around that centre (the turned face's bounding box would count
    # background corners as face).
    fw_s, fh_s = size, fh * scale
    x = fx * scale + fw_s / 2 - mask.width / 2
    y = fy * scale + fh_s / 2 - mask.height / 2
    rad = np.deg2rad(angle)
    centre_x = np.cos(rad) * x + np.sin(rad) * y + crop.width / 2
    centre_y = -np.sin(rad) * x + np.cos(rad) * y + crop.height / 2
    bx0, by0 = centre_x - fw_s / 2, centre_y - fh_s / 2
    for _try in range(40):
        ox = rng.randint(0, CANVAS[0] - crop.width) if crop.width < CANVAS[0] else 0
        oy = rng.randint(0, CANVAS[1] - crop.height) if crop.height < CANVAS[1] else 0
        box = (ox, oy, crop.width, crop.height)
        if all(not _overlap(box, other) for other in taken):
            taken.append(box)
            canvas.paste(crop, (ox, oy), rot_mask)
            return (round(ox + bx0), round(oy + by0), round(fw_s), round(fh_s))
    return None


def _overlap(a, b) -> bool:
    return not (
        a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
    )


def build(count: int = 30, seed: int = SEED) -> list[Sample]:
    """Return `count` composites plus the two source photos, with their true face boxes."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible evaluation set, not a secret
    sources = face_sources()
    samples = [
        Sample("astronaut", bundled("astronaut.png"), [(176, 58, 100, 118)]),
        Sample("camera", bundled("camera.png"), [(200, 112, 58, 84)]),
    ]
    for n in range(count):
        canvas = background(rng)
        taken: list = []
        boxes = []
        for _face in range(rng.randint(3, 7)):
            low, high = rng.choice(BANDS)
            size = rng.randint(low, high)
            candidates = [f for f in sources if f.max_size >= size]
            # The two real photos, often: LFW alone would make small faces all grey.
            face = rng.choice(candidates[:2]) if rng.random() < 0.5 else rng.choice(candidates)
            box = paste_face(canvas, face, size, rng, taken)
            if box:
                boxes.append(box)
        samples.append(Sample(f"composite-{n:02d}", canvas, boxes))
    return samples


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "var/photos-evalset")
    out.mkdir(parents=True, exist_ok=True)
    for sample in build():
        sample.image.save(out / f"{sample.name}.png")
        draw = ImageDraw.Draw(preview := sample.image.copy())
        for x, y, w, h in sample.faces:
            draw.rectangle((x, y, x + w, y + h), outline=(0, 255, 0), width=2)
        preview.save(out / f"{sample.name}.truth.jpg")
    print(f"wrote {out}")
