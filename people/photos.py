"""People's photos: what an upload may be, the small square thumbnail the pages show, and
the initials in a coloured circle shown when there is no photo."""

from __future__ import annotations

import hashlib
import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}
EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# The thumbnail is shown at up to 96 CSS pixels: twice that for sharp screens.
THUMBNAIL_SIZE = 192
# How many colours initials are drawn in; `summit.css` has a class for each.
COLOURS = 8


def validate_photo(photo: File) -> None:
    """A photo small enough to read and resize: at most 5 MB and 40 megapixels."""
    if getattr(photo, "_committed", False):
        return  # stored already: checked when it was uploaded
    if photo.size > MAX_BYTES:
        raise ValidationError(
            _("This photo is too large (%(size)s MB); the limit is 5 MB."),
            params={"size": round(photo.size / 1024 / 1024, 1)},
            code="photo_too_large",
        )
    try:
        photo.seek(0)
        with warnings.catch_warnings():
            # Huge images are refused below, by their size: no need to warn of them first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(photo) as image:
                kind, (width, height) = image.format, image.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind, width, height = None, 0, 0
    finally:
        photo.seek(0)
    if kind not in FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="photo_format")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("This photo has too many pixels (%(width)s×%(height)s); the limit is 40 megapixels."),
            params={"width": width, "height": height},
            code="photo_too_many_pixels",
        )


def thumbnail(photo: File) -> ContentFile:
    """A square JPEG of the photo's centre, THUMBNAIL_SIZE pixels wide."""
    photo.open("rb")
    photo.seek(0)
    with Image.open(photo) as image:
        upright = ImageOps.exif_transpose(image)
        square = ImageOps.fit(
            upright.convert("RGB"), (THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS
        )
    made = BytesIO()
    square.save(made, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(made.getvalue())


def initials(name: str) -> str:
    """“UL” for Ursula von der Leyen: the first letters of the first and last words that
    begin with a capital, so that particles (von, der, de) are left out."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    named = [word for word in words if word[0].isupper()] or words
    if not named:
        return "?"
    letters = named[0][0] + (named[-1][0] if len(named) > 1 else "")
    return letters.upper()


def colour(name: str) -> int:
    """One of COLOURS, the same for a name every time and on every machine."""
    return hashlib.sha256(name.encode()).digest()[0] % COLOURS
