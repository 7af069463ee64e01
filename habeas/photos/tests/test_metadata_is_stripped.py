import io

from PIL import Image

from habeas.photos.cover import encode_clean, load, scrub
from habeas.photos.detect import Box

from .photos import astronaut, jpeg, segments

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="55,45.894N"/></rdf:RDF></x:xmpmeta>'
)


class NoFaces:
    name = "none"

    def detect(self, rgb):
        return []


def photo_with_everything() -> bytes:
    """A phone-like JPEG: GPS position, camera make and serial, XMP, ICC, a comment."""
    image = astronaut()
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif[0x0131] = "Camera app 2.0"  # Software
    exif.get_ifd(0x8769)[0xA431] = "SERIAL-123456"  # BodySerialNumber in the Exif IFD
    exif.get_ifd(0x8825).update(  # GPS IFD: Moscow, Tverskaya
        {1: "N", 2: (55.0, 45.0, 53.6), 3: "E", 4: (37.0, 36.0, 41.8)}
    )
    icc = b"\x00" * 128 + b"acspPHONE-PROFILE"
    return jpeg(image, exif=exif, xmp=XMP, icc_profile=icc, comment=b"taken at the protest")


def test_the_source_photo_really_carries_gps_xmp_and_a_comment():
    data = photo_with_everything()
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(0x8825)[2] == (55.0, 45.0, 53.6)
    assert b"SERIAL-123456" in data and b"GPSLatitude" in data and b"PHONE-PROFILE" in data


def test_no_exif_gps_xmp_icc_or_comment_survives_scrubbing():
    result = scrub(photo_with_everything(), NoFaces())
    with Image.open(io.BytesIO(result.jpeg)) as image:
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)
        assert {"exif", "xmp", "icc_profile", "comment"}.isdisjoint(image.info)
    for secret in (b"Exif", b"GPS", b"SERIAL", b"PhoneMaker", b"xmpmeta", b"PHONE-PROFILE",
                   b"protest"):  # fmt: skip
        assert secret not in result.jpeg


def test_the_clean_jpeg_has_only_a_jfif_header_and_image_tables():
    result = scrub(photo_with_everything(), NoFaces())
    # APP0 is the plain JFIF header; APP1 would be EXIF/XMP, APP2 ICC, APP13 IPTC, COM text.
    assert set(segments(result.jpeg)) <= {"APP0", "DQT", "DHT", "SOF0", "DRI"}


def test_a_photo_turned_by_its_exif_orientation_comes_out_upright():
    image = Image.new("RGB", (40, 20), "white")
    image.paste((255, 0, 0), (0, 0, 20, 20))  # red on the left half
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    upright = load(jpeg(image, exif=exif))
    assert upright.size == (20, 40)
    assert upright.getpixel((10, 5))[0] > 200 and upright.getpixel((10, 5))[1] < 60  # red on top


def test_encoding_drops_what_pillow_keeps_in_info():
    image = astronaut()
    image.info.update({"exif": b"Exif\x00\x00junk", "comment": b"secret", "dpi": (72, 72)})
    data = encode_clean(image)
    assert b"secret" not in data and b"junk" not in data


def test_covered_boxes_are_reported_in_the_photos_own_pixels():
    class OneBox:
        name = "one"

        def detect(self, rgb):
            return [Box(10, 10, 20, 20)]

    result = scrub(photo_with_everything(), OneBox(), margin=0)
    assert result.boxes == [Box(10, 10, 20, 20)]
    assert (result.width, result.height) == (512, 512)
