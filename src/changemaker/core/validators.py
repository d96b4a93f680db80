"""Upload checks: size and real file type (by content, not by name)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

MAX_LOGO_BYTES = 512 * 1024
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def validate_logo(upload: File) -> None:
    if upload.size is not None and upload.size > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo must be smaller than 512 KB"), code="too_big")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(position)
    if not any(head.startswith(sig) for sig in SIGNATURES):
        raise ValidationError(_("The logo must be a PNG or JPEG image"), code="bad_type")
