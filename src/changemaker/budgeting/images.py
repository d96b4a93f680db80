"""Residents' photos are published: strip what a camera or phone hides in them first.

A phone photo's metadata can hold where it was taken (GPS), when, the device and its owner's
name. Without an imaging library we rewrite the file's own structure: a JPEG keeps its image
data, JFIF header, colour profile and Adobe colour marker, and only the orientation of its
EXIF (so that portrait photos stay upright); a PNG keeps every chunk but text, EXIF and time.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DROPPED = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}
ORIENTATION = 0x0112


def delete_after_commit(file: Any) -> None:
    """Delete a stored file once the transaction commits (a rollback keeps it)."""
    name, storage = str(file.name), file.storage
    transaction.on_commit(lambda: storage.delete(name))


def delete_file_with_idea(sender: type, instance: Any, **kwargs: Any) -> None:
    """``post_delete`` of an idea (one or many at once): its image file goes too."""
    if instance.image:
        delete_after_commit(instance.image)


class DamagedImage(ValueError):
    """The file does not hold together as a PNG or JPEG."""


def strip_metadata(data: bytes) -> bytes:
    """The same picture without its metadata. Raises DamagedImage if the file is broken."""
    if data.startswith(PNG_SIGNATURE):
        return _png(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    raise DamagedImage("not a PNG or JPEG file")


def _png(data: bytes) -> bytes:
    kept, pos = [PNG_SIGNATURE], len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, end = data[pos + 4 : pos + 8], pos + 12 + length
        if end > len(data):
            break
        if kind not in PNG_DROPPED:
            kept.append(data[pos:end])
        if kind == b"IEND":
            return b"".join(kept)
        pos = end
    raise DamagedImage("the PNG file ends too early")


def _jpeg(data: bytes) -> bytes:
    kept, pos = [b"\xff\xd8"], 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            break
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is the picture itself
            kept.append(data[pos:])
            return b"".join(kept)
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end > len(data):
            break
        body = data[pos + 4 : end]
        if marker == 0xE1 and body.startswith(b"Exif\0\0"):
            orientation = _orientation(body[6:])
            if orientation not in {None, 1}:
                kept.append(_orientation_only(orientation))
        elif marker == 0xFE or (0xE1 <= marker <= 0xEF and not _kept_app(marker, body)):
            pass  # comments, XMP and other application data
        else:
            kept.append(data[pos:end])
        pos = end
    raise DamagedImage("the JPEG file ends too early")


def _kept_app(marker: int, body: bytes) -> bool:
    """Colour matters: the ICC profile (APP2) and Adobe's colour transform (APP14)."""
    return (marker == 0xE2 and body.startswith(b"ICC_PROFILE\0")) or marker == 0xEE


def _orientation(tiff: bytes) -> int | None:
    """The Orientation tag of the first image directory of an EXIF block, if readable."""
    order = {b"II": "little", b"MM": "big"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return None

    def number(at: int, size: int) -> int:
        return int.from_bytes(tiff[at : at + size], order)  # type: ignore[arg-type]

    ifd = number(4, 4)
    if ifd + 2 > len(tiff):
        return None
    for n in range(number(ifd, 2)):
        entry = ifd + 2 + 12 * n
        if entry + 12 > len(tiff):
            return None
        if number(entry, 2) == ORIENTATION:
            value = number(entry + 8, 2)
            return value if 1 <= value <= 8 else None
    return None


def _orientation_only(orientation: int) -> bytes:
    """A minimal EXIF block (APP1) holding nothing but the orientation."""
    tiff = (
        b"MM\x00\x2a"
        + (8).to_bytes(4, "big")  # the first directory follows the header
        + (1).to_bytes(2, "big")  # one entry:
        + ORIENTATION.to_bytes(2, "big")
        + (3).to_bytes(2, "big")  # SHORT
        + (1).to_bytes(4, "big")  # one value
        + orientation.to_bytes(2, "big")
        + b"\x00\x00"
        + (0).to_bytes(4, "big")  # no next directory
    )
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
