"""Upload checks: size, real file type (by content, not by name) and a picture that decodes;
documents (PDF, ODT, DOCX, or a picture) told by their content."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
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


# Documents (a commitment's milestones) -------------------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: What a document may be, by its content: the extension it is stored with.
DOCUMENT_KINDS = {"pdf": "PDF", "odt": "ODT", "docx": "DOCX", "png": "PNG", "jpg": "JPEG"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
#: a real office document has a few hundred parts at most; more is refused unread
MAX_ZIP_ENTRIES = 2000
DOCUMENT_MESSAGES = {
    "type": _(
        "The document must be a PDF, an OpenDocument text (ODT), a Word document (DOCX), "
        "or a PNG or JPEG picture. Save it as one of those, then choose it again."
    ),
    "damaged": _("The document file is damaged. Save it again, then choose it again."),
    "too_large": TOO_LARGE,
}


@dataclass(frozen=True)
class CleanDocument:
    """A checked document: its bytes (a picture redrawn from its pixels) and extension."""

    data: bytes
    extension: str


def _zip_kind(data: bytes) -> str | None:
    """ "odt" or "docx" for an office document (read from the zip's directory and its
    ``mimetype`` entry only: nothing else is unpacked), else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_ENTRIES:
                return None
            small = "mimetype" in names and archive.getinfo("mimetype").file_size < 100
            if small and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def checked_document(upload: File, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> CleanDocument:
    """A PDF, ODT, DOCX, PNG or JPEG of at most ``max_bytes``, told by its content (not its
    name); a picture is redrawn (no metadata). A ValidationError says what to do otherwise."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The document must be smaller than %(size)s MB") % {"size": max_bytes // 2**20},
            code="too_big",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return CleanDocument(data, "pdf")
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        if kind is not None:
            return CleanDocument(data, kind)
        raise ValidationError(DOCUMENT_MESSAGES["type"], code="bad_type")
    picture = image_type(upload)
    if picture is None:
        raise ValidationError(DOCUMENT_MESSAGES["type"], code="bad_type")
    clean = publishable(upload, max_display=MAX_SIDE, messages=DOCUMENT_MESSAGES)
    return CleanDocument(clean.data, clean.suffix)
