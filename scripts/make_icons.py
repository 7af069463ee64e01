"""Draw the PWA's icons and the discreet install's as PNG files, without Pillow (not a dependency).

Run once after changing the design: `.venv/bin/python scripts/make_icons.py`.
The PNGs are committed; nothing imports this script, and it does not ship.
"""

import struct
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "habeas" / "public" / "static" / "public" / "icons"
RED = (183, 28, 28, 255)  # the SOS button's colour, also the manifest's theme colour
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
# The discreet install's icon says nothing of SOS or the hotline (docs/security.md).
PAGE = (250, 214, 92, 255)
INK = (90, 90, 90, 255)

# A 5x7 bitmap font: only the letters the icon needs.
GLYPHS = {
    "S": [".###.", "#...#", "#....", ".###.", "....#", "#...#", ".###."],
    "O": [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
}


def png(size: int, pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    """Encode RGBA rows as a PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"".join(bytes(p) for p in row) for row in pixels)
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def square(size: int, maskable: bool, colour) -> list[list[tuple[int, int, int, int]]]:
    """A rounded square of `colour`, or a full bleed square for maskable."""
    radius = 0 if maskable else size * 0.22
    pixels = [[CLEAR] * size for _ in range(size)]
    for y in range(size):
        for x in range(size):
            # Distance outside the rounded corner decides whether a pixel is painted.
            dx = max(radius - x - 0.5, x + 0.5 - (size - radius), 0)
            dy = max(radius - y - 0.5, y + 0.5 - (size - radius), 0)
            if dx * dx + dy * dy <= radius * radius:
                pixels[y][x] = colour
    return pixels


def notes(size: int, maskable: bool) -> bytes:
    """Draw the discreet install's icon: ruled lines on a pale page, like any notes app."""
    pixels = square(size, maskable, PAGE)
    # Inside the maskable safe circle (80 %) either way.
    left, right = int(size * 0.3), int(size * 0.7)
    thickness = max(2, size // 40)
    for i in range(4):
        top = int(size * (0.34 + i * 0.1))
        end = right if i < 3 else int(size * 0.56)
        for y in range(top, top + thickness):
            for x in range(left, end):
                pixels[y][x] = INK
    return png(size, pixels)


def draw(size: int, maskable: bool) -> bytes:
    """Draw "SOS" in white on red."""
    pixels = square(size, maskable, RED)
    text = "SOS"
    columns = len(text) * 6 - 1
    # Maskable icons are cropped to a circle of 80%: keep the word well inside it.
    cell = int(size * (0.5 if maskable else 0.64) / columns)
    left = (size - columns * cell) // 2
    top = (size - 7 * cell) // 2
    for i, letter in enumerate(text):
        for row, line in enumerate(GLYPHS[letter]):
            for col, mark in enumerate(line):
                if mark != "#":
                    continue
                x0 = left + (i * 6 + col) * cell
                y0 = top + row * cell
                for y in range(y0, y0 + cell):
                    for x in range(x0, x0 + cell):
                        pixels[y][x] = WHITE
    return png(size, pixels)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "icon-192.png").write_bytes(draw(192, maskable=False))
    (ICONS / "icon-512.png").write_bytes(draw(512, maskable=False))
    (ICONS / "maskable-512.png").write_bytes(draw(512, maskable=True))
    (ICONS / "notes-192.png").write_bytes(notes(192, maskable=False))
    (ICONS / "notes-512.png").write_bytes(notes(512, maskable=False))
    (ICONS / "notes-maskable-512.png").write_bytes(notes(512, maskable=True))


if __name__ == "__main__":
    main()
