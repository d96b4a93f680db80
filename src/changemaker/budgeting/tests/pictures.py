"""Small, well-formed PNG and JPEG files for tests, with the metadata phones put in them."""

from __future__ import annotations

import zlib

SECRET = b"Ada Lovelace, 51.5072N 0.1276W"  # what must never be published


def chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data).to_bytes(4, "big")
    return len(data).to_bytes(4, "big") + kind + data + crc


def png(*, text: bytes = SECRET) -> bytes:
    ihdr = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"tEXt", b"Author\0" + text)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0"))
        + chunk(b"eXIf", b"MM\0*" + text)
        + chunk(b"IEND", b"")
    )


def segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


def exif(orientation: int, *, text: bytes = SECRET) -> bytes:
    """A big-endian EXIF block: orientation, then an ASCII Artist tag holding ``text``."""
    entries = (2).to_bytes(2, "big")
    entries += (0x0112).to_bytes(2, "big") + (3).to_bytes(2, "big") + (1).to_bytes(4, "big")
    entries += orientation.to_bytes(2, "big") + b"\0\0"
    offset = 8 + 2 + 24 + 4
    entries += (0x013B).to_bytes(2, "big") + (2).to_bytes(2, "big")
    entries += len(text).to_bytes(4, "big") + offset.to_bytes(4, "big")
    tiff = b"MM\0*" + (8).to_bytes(4, "big") + entries + (0).to_bytes(4, "big") + text
    return b"Exif\0\0" + tiff


def jpeg(*, orientation: int = 6, text: bytes = SECRET) -> bytes:
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
        + segment(0xE1, exif(orientation, text=text))
        + segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>" + text + b"</x:xmpmeta>")
        + segment(0xE2, b"ICC_PROFILE\0\x01\x01colour")
        + segment(0xFE, b"comment: " + text)
        + segment(0xDB, b"\0" + bytes(64))
        + segment(0xDA, b"\x01\x01\0\0?\0")
        + b"\x12\x34\x56"
        + b"\xff\xd9"
    )
