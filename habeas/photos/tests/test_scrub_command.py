import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image

from .photos import astronaut, jpeg

GPS_EXIF = Image.Exif()
GPS_EXIF.get_ifd(0x8825).update({1: "N", 2: (55.0, 45.0, 53.6)})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An organisation's folder: two photos with GPS, a broken one and a text file."""
    photos = tmp_path / "in"
    photos.mkdir()
    (photos / "march.jpg").write_bytes(jpeg(astronaut(), exif=GPS_EXIF))
    (photos / "crowd.png").write_bytes(jpeg(astronaut().resize((256, 256))))
    (photos / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a photo")
    (photos / "notes.txt").write_text("not a photo, not picked from a folder")
    return photos


def run(*args: str) -> tuple[str, str, Exception | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        # Commands speak the active language (Russian by default); these tests read English.
        with translation.override("en"):
            call_command("scrub", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_a_folder_is_scrubbed_and_the_broken_file_named_with_a_non_zero_exit(folder, tmp_path):
    out_dir = tmp_path / "out"
    stdout, stderr, error = run(str(folder), "--out", str(out_dir))
    assert error is not None and "1 file could not be read" in str(error)
    assert "broken.jpg" in stderr
    assert sorted(p.name for p in out_dir.iterdir()) == ["crowd.jpg", "march.jpg"]
    assert "march.jpg: 1 face covered" in stdout
    assert "Face detector: centerface" in stdout
    assert "some faces may be missed" in stdout
    for path in out_dir.iterdir():
        with Image.open(path) as image:
            assert not image.getexif()


def test_a_command_error_exits_non_zero_from_the_shell(folder, tmp_path):
    # call_command raises; manage.py turns CommandError into exit status 1.
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "scrub", str(folder / "broken.jpg"), "--out",
                                 str(tmp_path / "o")])  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code == 1


def test_a_missing_path_is_reported_and_the_rest_still_processed(folder, tmp_path):
    out_dir = tmp_path / "out"
    _out, stderr, error = run(str(tmp_path / "nope.jpg"), str(folder / "march.jpg"),
                              "--out", str(out_dir))  # fmt: skip
    assert error is not None
    assert "nope.jpg" in stderr and "no such file" in stderr
    assert [p.name for p in out_dir.iterdir()] == ["march.jpg"]


def test_nothing_but_the_outputs_is_written_and_inputs_are_untouched(folder, tmp_path):
    before = {p: p.read_bytes() for p in folder.iterdir()}
    out_dir = tmp_path / "out"
    run(str(folder), "--out", str(out_dir))
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_writing_into_the_input_folder_never_overwrites_a_photo(folder):
    original = (folder / "march.jpg").read_bytes()
    stdout, _err, _error = run(str(folder / "march.jpg"), "--out", str(folder))
    assert (folder / "march.jpg").read_bytes() == original
    assert (folder / "march-2.jpg").exists()
    assert "march-2.jpg" in stdout


def test_an_unavailable_detector_is_a_clear_error(folder, tmp_path, monkeypatch):
    from habeas.photos import detect

    def missing():
        raise detect.DetectorUnavailable("CenterFace needs the optional extra")

    monkeypatch.setitem(detect.DETECTORS, "centerface", missing)
    _out, _err, error = run(str(folder), "--out", str(tmp_path / "o"), "--detector", "centerface")
    assert error is not None and "optional extra" in str(error)
    assert not (tmp_path / "o").exists()
