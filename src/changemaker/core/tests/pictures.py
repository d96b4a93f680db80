"""Real PNG and JPEG files for tests, with what phones and crafted files hide in them."""

from __future__ import annotations

import io
import zlib

from PIL import Image, PngImagePlugin

SECRET = b"Ada Lovelace, 51.5072N 0.1276W"  # what must never be published
SECRET2 = b"Second picture, 52.2053N 0.1218E"
GPS_IFD = 0x8825


def chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data).to_bytes(4, "big")
    return len(data).to_bytes(4, "big") + kind + data + crc


def segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


def _exif(orientation: int, text: bytes) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = text.decode()  # Artist
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    return exif


def _picture(size: tuple[int, int]) -> Image.Image:
    """Left half red, right half blue: orientation and scaling stay visible."""
    image = Image.new("RGB", size, (200, 0, 0))
    image.paste((0, 0, 200), (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(*, size: tuple[int, int] = (40, 20), orientation: int = 6, text: bytes = SECRET) -> bytes:
    """A phone photo: EXIF (orientation, artist, GPS), XMP, an ICC profile and a comment."""
    out = io.BytesIO()
    _picture(size).save(
        out,
        "JPEG",
        exif=_exif(orientation, text),
        icc_profile=b"colour profile: " + text,
        comment=b"comment: " + text,
    )
    data = out.getvalue()
    xmp = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>" + text + b"</x:xmpmeta>")
    return data[:2] + xmp + data[2:]


def multi_picture() -> bytes:
    """A second JPEG, with its own GPS, appended to the first (as phones do)."""
    return jpeg() + jpeg(size=(16, 16), text=SECRET2)


def png(*, size: tuple[int, int] = (4, 2), text: bytes = SECRET, trailing: bytes = b"") -> bytes:
    """A PNG with text, international text, EXIF and time chunks, and ``trailing`` bytes."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", text.decode())
    info.add_itxt("Location", text.decode())
    out = io.BytesIO()
    _picture(size).save(out, "PNG", pnginfo=info, exif=_exif(1, text))
    data = out.getvalue()
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + chunk(b"tIME", bytes(7)) + data[iend:] + trailing


def bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A PNG header claiming ``width`` × ``height`` pixels, in a few dozen bytes."""
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    idat = zlib.compress(bytes(1 + 3 * width) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def animated(kind: str) -> bytes:
    """Two frames (red, then blue) as an animated PNG, GIF or WebP."""
    frames = [Image.new("RGB", (8, 8), (200, 0, 0)), Image.new("RGB", (8, 8), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, kind, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG, in order; fails if anything follows IEND."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    kinds, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kinds.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    assert pos == len(data) and kinds[-1] == b"IEND"
    return kinds


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG up to its scan; fails unless it ends with its one end marker."""
    assert data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")
    assert data.count(b"\xff\xd8") == 1 and data.count(b"\xff\xd9") == 1
    markers, pos = [], 2
    while data[pos + 1] != 0xDA:
        markers.append(data[pos + 1])
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return markers
