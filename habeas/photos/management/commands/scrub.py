"""`manage.py scrub IN... --out DIR`: cover faces and strip metadata in a batch of photos."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Folders are searched for these; a file named on the command line is tried whatever its name.
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif"}


class Command(BaseCommand):
    # It touches no database: an organisation can run it on a laptop with no server set up.
    requires_system_checks: list[str] = []
    help = _(
        "Cover the faces in photos with solid boxes and remove all metadata (EXIF, GPS, XMP). "
        "Writes one JPEG per photo into --out and nothing else."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="IN", help=_("photos or folders"))
        parser.add_argument("--out", required=True, help=_("folder for the covered photos"))
        parser.add_argument(
            "--detector",
            default="auto",
            choices=["auto", "centerface", "haar"],
            help=_("face detector; auto: CenterFace if installed, else Haar cascades"),
        )

    def handle(self, *args, **options) -> None:
        try:
            from habeas.photos.cover import UnreadablePhoto, scrub
            from habeas.photos.detect import DetectorUnavailable, get_detector
        except ImportError as exc:
            raise CommandError(
                _("Photo support is not installed: pip install 'habeas[photos]' (%(error)s)")
                % {"error": exc}
            ) from exc
        try:
            detector = get_detector(options["detector"])
        except DetectorUnavailable as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write(_("Face detector: %(name)s") % {"name": detector.name})
        photos, missing = collect(options["inputs"])
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        failed: list[tuple[Path, str]] = [(path, _("no such file")) for path in missing]
        progress = Progress(len(photos), self.stderr)
        written = 0
        for number, path in enumerate(photos, 1):
            progress.show(number - 1, path.name)
            try:
                result = scrub(path.read_bytes(), detector)
            except (OSError, UnreadablePhoto) as exc:
                failed.append((path, str(exc)))
                continue
            target = free_name(out, path.stem)
            with open(target, "xb") as f:
                f.write(result.jpeg)
            written += 1
            faces = len(result.boxes)
            line = ngettext(
                "%(src)s → %(dst)s: %(n)d face covered",
                "%(src)s → %(dst)s: %(n)d faces covered",
                faces,
            ) % {"src": path, "dst": target, "n": faces}
            progress.clear()
            self.stdout.write(line)
        progress.show(len(photos), "")
        progress.done()

        self.stdout.write(
            ngettext("%(n)d photo written to %(out)s.", "%(n)d photos written to %(out)s.", written)
            % {"n": written, "out": out}
        )
        # Detectors miss faces (small, turned away, masked, in the dark): never a silent pass.
        self.stdout.write(
            self.style.WARNING(
                _(
                    "Check each photo before sharing it: some faces may be missed. "
                    "Cover missed faces, tattoos, badges and screens by hand."
                )
            )
        )
        if failed:
            for path, reason in failed:
                self.stderr.write(
                    _("Could not read %(path)s: %(reason)s") % {"path": path, "reason": reason}
                )
            raise CommandError(
                ngettext(
                    "%(n)d file could not be read; the others were processed.",
                    "%(n)d files could not be read; the others were processed.",
                    len(failed),
                )
                % {"n": len(failed)}
            )


def collect(inputs: list[str]) -> tuple[list[Path], list[Path]]:
    """Expand folders into their photos (sorted, recursively); return (photos, missing)."""
    photos: list[Path] = []
    missing: list[Path] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            photos += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES
            )
        elif path.is_file():
            photos.append(path)
        else:
            missing.append(path)
    return photos, missing


def free_name(folder: Path, stem: str) -> Path:
    """Return folder/stem.jpg, or stem-2.jpg and so on: never overwrite a file (an input!)."""
    target = folder / f"{stem}.jpg"
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}.jpg"
        n += 1
    return target


class Progress:
    """A one-line progress bar on a terminal; silent when output goes to a file or pipe."""

    WIDTH = 30

    def __init__(self, total: int, stream) -> None:
        self.total = total
        self.stream = stream  # Django's OutputWrapper around stderr
        self.live = stream.isatty()

    def show(self, done: int, name: str) -> None:
        if not self.live or not self.total:
            return
        filled = round(self.WIDTH * done / self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{self.total} {name[:40]:<40}", ending="")
        self.stream.flush()

    def clear(self) -> None:
        if self.live:
            self.stream.write("\r" + " " * (self.WIDTH + 60) + "\r", ending="")

    def done(self) -> None:
        if self.live and self.total:
            self.stream.write("")
