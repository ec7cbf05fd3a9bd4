"""A summit's look: its colours (checked for contrast) and its logo and hero image (checked
for size and kind before they are stored), and the stylesheet that applies them."""

from __future__ import annotations

import base64
import hashlib
import re
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_PRIMARY = "#0b4f8a"
DEFAULT_ACCENT = "#c8102e"
LOGO_MAX_BYTES = 512 * 1024
HERO_MAX_BYTES = 2 * 1024 * 1024

# What a file starts with, for the kinds of image accepted (the name's extension must agree).
SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "webp": (b"RIFF",),
}
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "svg": "image/svg+xml",
}
SVG = "{http://www.w3.org/2000/svg}"
# Elements an SVG logo has no use for and that could run or fetch something.
SVG_REFUSED = {"script", "foreignObject", "iframe", "embed", "object", "use", "image", "a"}


def luminance(colour: str) -> float:
    """The relative luminance of a #rrggbb colour (WCAG 2)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not a colour written like #0b4f8a."), params={"value": value}
        )


def validate_primary_colour(value: str) -> None:
    """White text sits on the primary colour (the header) and it colours links on white."""
    validate_hex_colour(value)
    if contrast_with_white(value) < 4.5:
        raise ValidationError(
            _(
                "%(value)s is too light: white text on it (and it as text on white) needs a "
                "contrast of at least 4.5:1, and it has %(ratio).1f:1. Choose a darker colour."
            ),
            params={"value": value, "ratio": contrast_with_white(value)},
        )


def validate_accent_colour(value: str) -> None:
    """The accent marks lines and chips on white: 3:1 is enough for those."""
    validate_hex_colour(value)
    if contrast_with_white(value) < 3:
        raise ValidationError(
            _(
                "%(value)s is too light to be seen on white (contrast %(ratio).1f:1, at least "
                "3:1 needed). Choose a darker colour."
            ),
            params={"value": value, "ratio": contrast_with_white(value)},
        )


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_svg(data: bytes) -> None:
    """An SVG logo is drawing only: no script, no event handler, nothing fetched."""
    text = data.decode("utf-8", errors="replace")
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise ValidationError(_("An SVG logo may not declare a DOCTYPE or entities."))
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise ValidationError(_("This SVG file cannot be read.")) from None
    if root.tag != f"{SVG}svg":
        raise ValidationError(_("This file is not an SVG image."))
    for element in root.iter():
        name = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
        if name in SVG_REFUSED:
            raise ValidationError(
                _("An SVG logo may only draw: “%(element)s” elements are refused."),
                params={"element": name},
            )
        for attribute, value in element.attrib.items():
            local = attribute.split("}")[-1].lower()
            if local.startswith("on") or "javascript:" in value.lower().replace(" ", ""):
                raise ValidationError(
                    _("An SVG logo may not run scripts (“%(attribute)s”)."),
                    params={"attribute": local},
                )
            if local == "href" and not value.startswith("#"):
                raise ValidationError(_("An SVG logo may not link to other files."))


@deconstructible
class ImageCheck:
    """A validator for an uploaded image: its size, its kind (by its first bytes as well as
    its name) and, for SVG, that it only draws."""

    def __init__(self, *, max_bytes: int, svg: bool):
        self.max_bytes = max_bytes
        self.svg = svg

    def __eq__(self, other):
        return isinstance(other, ImageCheck) and (self.max_bytes, self.svg) == (
            other.max_bytes,
            other.svg,
        )

    def __call__(self, upload) -> None:
        max_bytes = self.max_bytes
        if upload.size > max_bytes:
            raise ValidationError(
                _("This file is %(size)d KB; at most %(limit)d KB is accepted."),
                params={"size": upload.size // 1024, "limit": max_bytes // 1024},
            )
        kind = extension(upload.name)
        accepted = [*SIGNATURES, "svg"] if self.svg else list(SIGNATURES)
        if kind not in accepted:
            raise ValidationError(
                _("Upload a %(kinds)s file."),
                params={"kinds": ", ".join(sorted({k.upper() for k in accepted} - {"JPEG"}))},
            )
        # A file already stored (the model validated again) is opened here: closed again.
        was_closed = getattr(upload, "closed", False)
        if was_closed:
            upload.open("rb")
        upload.seek(0)
        data = upload.read()
        if was_closed:
            upload.close()
        else:
            upload.seek(0)
        if kind == "svg":
            check_svg(data)
        elif not data.startswith(SIGNATURES[kind]) or (kind == "webp" and data[8:12] != b"WEBP"):
            raise ValidationError(
                _("This file is not the %(kind)s image its name says."),
                params={"kind": kind.upper()},
            )


validate_logo = ImageCheck(max_bytes=LOGO_MAX_BYTES, svg=True)
validate_hero = ImageCheck(max_bytes=HERO_MAX_BYTES, svg=False)


def theme_css(*, primary: str, accent: str) -> str:
    """The stylesheet of a summit's colours: custom properties the site's stylesheet uses.
    Only checked colours reach it (the model's validators), so it holds nothing but them."""
    primary = primary if HEX_COLOUR.match(primary or "") else DEFAULT_PRIMARY
    accent = accent if HEX_COLOUR.match(accent or "") else DEFAULT_ACCENT
    return f":root{{--brand:{primary.lower()};--brand-accent:{accent.lower()}}}"


def style_hash(css: str) -> str:
    """The Content-Security-Policy source that allows a `<style>` element with this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def allow_style(request, css: str) -> None:
    """Let the request's answer carry a `<style>` with this text (summit.middleware adds
    the hashes to its policy): a page kept whole in the cache holds no nonce of a request."""
    if request is not None:
        hashes = request.__dict__.setdefault("_style_hashes", [])
        if (found := style_hash(css)) not in hashes:
            hashes.append(found)
