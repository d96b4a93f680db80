"""Uploaded images are published: keep their pixels and nothing else.

A phone photo can hide where it was taken (EXIF GPS), the device and its owner's name, a
second picture appended after the first (multi-picture files, with their own GPS), or any
data after the image's end. A crafted file can claim 30000 × 30000 pixels in a few bytes
(a decompression bomb). So every upload is decoded with Pillow (PNG and JPEG decoders only),
its size in pixels checked before the pixels are read, turned upright by its EXIF
orientation, shrunk to the size it is shown at, and written as a new file from the pixels
alone: no EXIF, XMP, ICC profile, text chunks or comments, no trailing data, one frame.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

#: Largest picture accepted, in pixels on each side (a 36-megapixel phone photo fits).
MAX_SIDE = 6000
Image.MAX_IMAGE_PIXELS = MAX_SIDE * MAX_SIDE  # Pillow's own bomb check, for every caller
#: The decoders allowed to read an upload (the JPEG one also reads multi-picture MPO files).
FORMATS = ("PNG", "JPEG")


class ImageRefused(ValueError):
    """The upload cannot be published; ``reason`` says which check failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "type", "damaged" or "too_large"


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    kind: str  # "PNG" or "JPEG"
    width: int
    height: int

    @property
    def suffix(self) -> str:
        return "png" if self.kind == "PNG" else "jpg"


def reencode(data: bytes, *, max_display: int) -> CleanImage:
    """The picture in ``data``, redrawn from its pixels and at most ``max_display`` pixels on
    its longer side. Raises ImageRefused (type, damaged or too_large)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except Image.UnidentifiedImageError as exc:  # a PNG or JPEG start: cut or broken
            signed = data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"))
            raise ImageRefused("damaged" if signed else "type") from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRefused("too_large") from exc
        except Exception as exc:  # any decoder failure on a broken header
            raise ImageRefused("damaged") from exc
        with image:
            if max(image.size) > MAX_SIDE or min(image.size) < 1:
                raise ImageRefused("too_large")
            try:
                image.seek(0)  # the first frame only (animated PNG, multi-picture JPEG)
                image.load()
                upright = ImageOps.exif_transpose(image)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise ImageRefused("too_large") from exc
            except Exception as exc:  # truncated or corrupt pixel data
                raise ImageRefused("damaged") from exc
            lossless = image.format == "PNG"
    return _fresh(upright, lossless=lossless, max_display=max_display)


def _fresh(image: Image.Image, *, lossless: bool, max_display: int) -> CleanImage:
    """A new image holding only the pixels (``Image.frombytes`` starts with empty info)."""
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    if lossless:
        mode = "RGBA" if has_alpha else ("L" if image.mode in {"1", "L", "I", "I;16"} else "RGB")
    else:
        mode = "L" if image.mode == "L" else "RGB"
    if image.mode in {"I", "I;16"}:  # 16-bit greyscale: scale to 8 bits first
        image = image.point(lambda v: v / 256).convert("L")
    pixels = image.convert(mode)
    pixels.thumbnail((max_display, max_display), Image.Resampling.LANCZOS)
    fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if lossless:
        fresh.save(out, "PNG", optimize=True)
    else:
        fresh.save(out, "JPEG", quality=85, optimize=True)
    return CleanImage(out.getvalue(), "PNG" if lossless else "JPEG", *fresh.size)


def qr_svg(text: str) -> str:
    """``text`` as a QR code, inline SVG (the two-factor set-up page: no image request)."""
    import qrcode
    import qrcode.image.svg

    svg = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).save(svg)
    return svg.getvalue().decode()
