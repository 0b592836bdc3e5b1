"""Safe export file names and checked, print-ready uploaded images.

`export_filename` turns any title into a harmless ASCII file name inside one directory and
never hands out a name that already exists; by default it reserves the name by creating the
empty file with O_EXCL, so two concurrent exports cannot pick the same file.
`write_atomically` writes a file whole or not at all: into a temporary file beside it, moved
into place only when complete.
`validate_image` accepts only real PNG or JPEG files of bounded size (bytes and pixels).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PIL import Image, ImageOps, UnidentifiedImageError

from assistant.errors import GoedwerkError

FALLBACK_STEM = "beeld-van-goed-werk"
MAX_STEM = 60
MAX_IMAGE_BYTES = 5_000_000
MAX_IMAGE_SIDE = 6000
EMBED_MAX_SIDE = 2400  # about 300 dpi at the largest size the image is printed
PREVIEW_MAX_SIDE = 800  # the page's preview: sharp on screen, small in every reply

_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")
_NOT_NAME = re.compile(r"[^a-z0-9]+")  # also every non-ASCII character left after folding
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")  # "Zoë’s" → "zoes", not "zoe-s"


def _stem(title: str) -> str:
    folded = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", title))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    # Every run of non-letters/digits (spaces, underscores, dots, slashes, NUL, ...) is one dash,
    # so "/", "\\", ".." and NUL cannot survive.
    stem = _NOT_NAME.sub("-", ascii_only).strip("-.")
    stem = stem[:MAX_STEM].rstrip("-.")
    if not stem:
        stem = FALLBACK_STEM
    if _RESERVED.match(stem):
        stem = f"{stem}-a4"
    return stem


def export_filename(title: str, extension: str, directory: Path, *, reserve: bool = True) -> Path:
    """A new file in `directory` named after `title`, e.g. "ons-beeld.pdf", "ons-beeld-2.pdf".

    The name is lower-case ASCII letters, digits and dashes (accents folded, at most 60
    characters before the suffix), never a Windows reserved name, never an existing file.
    With `reserve` (the default) the empty file is created atomically (O_EXCL): the caller
    owns it and should overwrite it, or unlink it when the export fails. Without `reserve`
    only the first free name is returned (racy if others write to the same directory).
    """
    ext = extension.lower().lstrip(".")
    if not re.fullmatch(r"[a-z0-9]{1,10}", ext):
        raise ValueError(f"ongeldige extensie: {extension!r}")
    base = directory.resolve()
    stem = _stem(title)
    for n in range(1, 10_000):
        candidate = base / (f"{stem}.{ext}" if n == 1 else f"{stem}-{n}.{ext}")
        if candidate.resolve().parent != base:  # impossible by construction; belt and braces
            raise ValueError(f"bestandsnaam buiten de map: {candidate}")
        if not reserve:
            if not candidate.exists():
                return candidate
            continue
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate
    raise FileExistsError(f"geen vrije bestandsnaam voor {stem!r} in {base}")


T = TypeVar("T")


def write_atomically(out: Path, write: Callable[[Path], T]) -> T:
    """Run `write(tmp)` on a temporary file beside `out`, then move it over `out` in one step.

    A failure (a full disk, a writer error) leaves `out` as it was and no temporary file behind.
    """
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}-", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        result = write(tmp)
        with tmp.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return result


class ImageRejected(GoedwerkError, ValueError):
    """An upload that is not an acceptable image; `message` is Dutch, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImageInfo:
    format: str  # "PNG" or "JPEG"
    width: int
    height: int
    size_bytes: int

    @property
    def mime_type(self) -> str:
        return "image/png" if self.format == "PNG" else "image/jpeg"

    @property
    def extension(self) -> str:
        return "png" if self.format == "PNG" else "jpg"


NOT_IMAGE = "Dit bestand is geen geldige afbeelding."
WRONG_FORMAT = "Alleen PNG- of JPEG-afbeeldingen zijn toegestaan."


def _megabytes(n: int) -> str:
    mb = n / 1_000_000
    text = f"{mb:.0f}" if mb == int(mb) or mb >= 100 else f"{mb:.1f}"
    return text.replace(".", ",")


def _looks_like_other_image(data: bytes) -> bool:
    """Image formats Pillow may not open (HEIC from phones, AVIF, SVG): say 'wrong format'."""
    head = data[:512].lstrip().lower()
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif", b"hevc"):
        return True
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def validate_image(data: bytes | Path, max_bytes: int = MAX_IMAGE_BYTES) -> ImageInfo:
    """Check an uploaded image: a real PNG or JPEG, at most `max_bytes`, at most 6000×6000 px.

    Raises ImageRejected with a Dutch message otherwise. The pixel size is checked from the
    header before anything is decoded (decompression-bomb guard); then the image is decoded
    once so truncated or corrupt files are caught here, not while exporting.
    """
    if isinstance(data, Path):
        try:
            size = data.stat().st_size
        except OSError as exc:
            raise ImageRejected(NOT_IMAGE) from exc
        if size > max_bytes:
            raise ImageRejected(
                f"De afbeelding is te groot ({_megabytes(size)} MB; "
                f"maximaal {_megabytes(max_bytes)} MB)."
            )
        data = data.read_bytes()
    size = len(data)
    if size > max_bytes:
        raise ImageRejected(
            f"De afbeelding is te groot ({_megabytes(size)} MB; "
            f"maximaal {_megabytes(max_bytes)} MB)."
        )
    if size == 0:
        raise ImageRejected(NOT_IMAGE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as im:
                fmt, (width, height) = im.format, im.size
                if fmt not in ("PNG", "JPEG"):
                    raise ImageRejected(WRONG_FORMAT)
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                    raise ImageRejected(
                        f"De afbeelding is te groot ({width} × {height} pixels; "
                        f"maximaal {MAX_IMAGE_SIDE} × {MAX_IMAGE_SIDE})."
                    )
                if width < 1 or height < 1:
                    raise ImageRejected(NOT_IMAGE)
                im.verify()
            with Image.open(io.BytesIO(data)) as im:
                if fmt == "JPEG":
                    im.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                im.load()
        except ImageRejected:
            raise
        except Image.DecompressionBombError as exc:
            raise ImageRejected(
                f"De afbeelding is te groot (maximaal {MAX_IMAGE_SIDE} × {MAX_IMAGE_SIDE} pixels)."
            ) from exc
        except UnidentifiedImageError as exc:
            if _looks_like_other_image(data):
                raise ImageRejected(WRONG_FORMAT) from exc
            raise ImageRejected(NOT_IMAGE) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected(NOT_IMAGE) from exc
    assert fmt is not None
    return ImageInfo(format=fmt, width=width, height=height, size_bytes=size)


@dataclass(frozen=True)
class PreparedImage:
    """Image bytes ready to embed (PNG or JPEG), upright, at most EMBED_MAX_SIDE pixels."""

    data: bytes
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "png" if self.data.startswith(b"\x89PNG\r\n\x1a\n") else "jpg"


def prepare_image(path: Path, max_bytes: int = MAX_IMAGE_BYTES) -> PreparedImage:
    """Validate, turn upright (EXIF orientation), downscale and normalise the colour mode.

    Original JPEG/PNG bytes are kept when nothing needs to change, so photos are not
    re-compressed; CMYK, 16-bit, palette and similar modes become RGB(A).
    """
    info = validate_image(path, max_bytes)
    raw = path.read_bytes()
    with Image.open(io.BytesIO(raw)) as opened:
        rotated = opened.getexif().get(0x0112, 1) not in (0, 1)
        im = (ImageOps.exif_transpose(opened) or opened) if rotated else opened
        too_big = max(im.size) > EMBED_MAX_SIDE
        plain = im.mode in ("RGB", "L") or (info.format == "PNG" and im.mode == "RGBA")
        if not rotated and not too_big and plain:
            return PreparedImage(raw, info.width, info.height)
        if im.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):  # 16-bit grey: keep the tones
            im = im.convert("I").point(lambda v: v / 256).convert("L")
        has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
        im = im.convert("RGBA" if has_alpha else "RGB")
        if too_big:
            im.thumbnail((EMBED_MAX_SIDE, EMBED_MAX_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if info.format == "JPEG" and not has_alpha:
            im.save(out, "JPEG", quality=90)
        else:
            im.save(out, "PNG", optimize=True)
        return PreparedImage(out.getvalue(), im.width, im.height)


def preview_copy(image: PreparedImage) -> PreparedImage:
    """A small copy of a prepared image for the page's preview (JPEG, or PNG with alpha)."""
    with Image.open(io.BytesIO(image.data)) as opened:
        im = opened.copy()
    im.thumbnail((PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        im.convert("RGBA").save(out, "PNG", optimize=True)
    else:
        im.convert("RGB").save(out, "JPEG", quality=85)
    return PreparedImage(out.getvalue(), im.width, im.height)
