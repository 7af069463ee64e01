import io

import numpy as np
import pytest
from PIL import Image

from habeas.photos.cover import FILL, MARGIN, cover, load, scrub
from habeas.photos.detect import Box, get_detector

from .photos import ASTRONAUT_FACE, astronaut, jpeg


def test_every_pixel_of_a_box_and_its_margin_is_the_solid_fill():
    image = Image.new("RGB", (200, 100), (200, 180, 160))
    painted = cover(image, [Box(50, 20, 40, 40)], margin=0.25)
    assert painted == [Box(40, 10, 60, 60)]
    pixels = np.asarray(image)
    assert (pixels[10:70, 40:100] == FILL).all()
    # Nothing outside the grown box is touched.
    assert (pixels[:, :40] == (200, 180, 160)).all() and (pixels[:, 100:] == (200, 180, 160)).all()


def test_a_box_at_the_edge_is_clipped_to_the_photo_not_dropped():
    image = Image.new("RGB", (100, 100), "white")
    painted = cover(image, [Box(90, -5, 30, 30)], margin=0)
    assert painted == [Box(90, 0, 10, 25)]
    assert (np.asarray(image)[0:25, 90:100] == FILL).all()


@pytest.mark.parametrize("name", ["haar", "centerface"])
def test_the_astronauts_face_is_found_and_covered_in_the_clean_jpeg(name):
    result = scrub(jpeg(astronaut()), get_detector(name))
    assert result.boxes
    pixels = np.asarray(Image.open(io.BytesIO(result.jpeg)).convert("RGB")).astype(int)
    x, y, w, h = ASTRONAUT_FACE
    face = pixels[y : y + h, x : x + w]
    # JPEG may ring by a few levels at block edges; a visible face would be far brighter.
    assert face.max() <= 12, f"face pixels up to {face.max()} remain"


def test_the_cover_reaches_beyond_the_detected_box_to_hair_and_chin():
    detector = get_detector("haar")
    photo = jpeg(astronaut())
    face = Box(*ASTRONAUT_FACE)
    (found,) = [b for b in detector.detect(np.asarray(load(photo))) if b.iou(face) > 0.5]
    result = scrub(photo, detector)
    assert found.grow(MARGIN, 512, 512) in result.boxes
    painted = found.grow(MARGIN, 512, 512)
    assert painted.w > found.w and painted.h > found.h
