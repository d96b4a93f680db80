"""Upload checks: size, real file type (by content, not by name) and a picture that decodes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from changemaker.core.images import MAX_SIDE, CleanImage, ImageRefused, reencode

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_DISPLAY = 1000  # pixels on the longer side; the header shows it far smaller
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
TOO_LARGE = _(
    "The picture is too large: it can be at most %(max)s pixels wide and %(max)s pixels high. "
    "Make it smaller, then choose it again."
)
LOGO_MESSAGES = {
    "type": _("The logo must be a PNG or JPEG image"),
    "damaged": _("The logo file is damaged. Save it again, then choose it again."),
    "too_large": TOO_LARGE,
}


def image_type(upload: File) -> str | None:
    """The type by the first bytes, whatever the name says: "PNG", "JPEG", or None."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(position)
    return next((kind for sig, kind in SIGNATURES.items() if head.startswith(sig)), None)


def publishable(
    upload: File, *, max_display: int, messages: Mapping[str, str | _StrPromise]
) -> CleanImage:
    """The upload redrawn from its pixels (see core.images), or a ValidationError with the
    caller's message for "type", "damaged" or "too_large"."""
    upload.seek(0)
    try:
        return reencode(upload.read(), max_display=max_display)
    except ImageRefused as exc:
        message = messages[exc.reason]
        raise ValidationError(message, code=exc.reason, params={"max": MAX_SIDE}) from exc
    finally:
        upload.seek(0)


def validate_image(
    upload: File,
    *,
    max_bytes: int,
    too_big: str | _StrPromise,
    messages: Mapping[str, str | _StrPromise],
) -> None:
    """A PNG or JPEG image of at most ``max_bytes`` that decodes within the pixel limits,
    with the caller's error messages."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(too_big, code="too_big")
    if image_type(upload) is None:
        raise ValidationError(messages["type"], code="bad_type")
    publishable(upload, max_display=64, messages=messages)  # small: only checks it decodes


def validate_logo(upload: File) -> None:
    validate_image(
        upload,
        max_bytes=MAX_LOGO_BYTES,
        too_big=_("The logo must be smaller than 512 KB"),
        messages=LOGO_MESSAGES,
    )
