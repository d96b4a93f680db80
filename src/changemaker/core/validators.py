"""Upload checks: size and real file type (by content, not by name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

MAX_LOGO_BYTES = 512 * 1024
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def image_type(upload: File) -> str | None:
    """The type by the first bytes, whatever the name says: "PNG", "JPEG", or None."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(position)
    return next((kind for sig, kind in SIGNATURES.items() if head.startswith(sig)), None)


def validate_image(
    upload: File, *, max_bytes: int, too_big: str | _StrPromise, bad_type: str | _StrPromise
) -> None:
    """A PNG or JPEG image of at most ``max_bytes``, with the caller's error messages."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(too_big, code="too_big")
    if image_type(upload) is None:
        raise ValidationError(bad_type, code="bad_type")


def validate_logo(upload: File) -> None:
    validate_image(
        upload,
        max_bytes=MAX_LOGO_BYTES,
        too_big=_("The logo must be smaller than 512 KB"),
        bad_type=_("The logo must be a PNG or JPEG image"),
    )
