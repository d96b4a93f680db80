"""Uploaded images are redrawn from their pixels: nothing hidden survives, bombs are refused."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from changemaker.core.images import MAX_SIDE, ImageRefused, reencode
from changemaker.core.models import Council, Role
from changemaker.core.tests.pictures import (
    SECRET,
    SECRET2,
    animated,
    bomb,
    jpeg,
    jpeg_markers,
    multi_picture,
    png,
    png_chunks,
)

HOST = {"HTTP_HOST": "exampleton.test"}
JPEG_KEPT = {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD}  # JFIF, tables, frame, Huffman, restart
PNG_KEPT = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("orientation", [1, 6, 8])
def test_a_phone_photo_keeps_its_pixels_upright_and_nothing_else(orientation: int) -> None:
    clean = reencode(jpeg(orientation=orientation), max_display=2000)
    assert clean.kind == "JPEG" and SECRET not in clean.data
    assert set(jpeg_markers(clean.data)) <= JPEG_KEPT  # no EXIF, XMP, ICC, comment
    image = _open(clean.data)
    assert not image.getexif() and "icc_profile" not in image.info
    assert "comment" not in image.info
    turned = orientation in {6, 8}
    assert image.size == ((20, 40) if turned else (40, 20)) == (clean.width, clean.height)
    # red on the left as taken; a quarter turn puts it at the top (6) or the bottom (8)
    top_left = image.getpixel((2, 2))
    assert isinstance(top_left, tuple)
    assert (top_left[0] > 150) == (orientation in {1, 6})


def test_a_second_picture_appended_to_a_jpeg_is_dropped_with_its_gps() -> None:
    clean = reencode(multi_picture(), max_display=2000).data
    assert SECRET not in clean and SECRET2 not in clean
    jpeg_markers(clean)  # one start, one end, nothing after it
    assert _open(clean).size == (20, 40)


def test_a_png_loses_its_text_exif_time_and_trailing_data() -> None:
    clean = reencode(png(trailing=b"IEND" + SECRET), max_display=2000)
    assert clean.kind == "PNG" and SECRET not in clean.data
    assert set(png_chunks(clean.data)) <= PNG_KEPT
    assert _open(clean.data).size == (4, 2)


def test_an_animated_png_keeps_its_first_frame_only() -> None:
    clean = reencode(animated("PNG"), max_display=2000).data
    assert set(png_chunks(clean)) <= PNG_KEPT  # no acTL, fcTL, fdAT
    image = _open(clean)
    assert getattr(image, "n_frames", 1) == 1 and image.getpixel((0, 0)) == (200, 0, 0)


def test_a_large_picture_is_shrunk_to_the_display_size() -> None:
    clean = reencode(jpeg(size=(3000, 1500), orientation=1), max_display=2000)
    assert (clean.width, clean.height) == (2000, 1000) == _open(clean.data).size


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bomb(), "too_large"),  # 900 million pixels: Pillow's own bomb check
        (bomb(10_000, 10_000), "too_large"),  # a bomb warning, made an error
        (bomb(MAX_SIDE + 1, 10), "too_large"),  # few pixels, but too wide
        (animated("GIF"), "type"),
        (animated("WEBP"), "type"),
        (b"<html><script>alert(1)</script></html>", "type"),
        (jpeg()[:-200], "damaged"),
        (png()[:60], "damaged"),
    ],
    ids=["bomb", "bomb warning", "too wide", "gif", "webp", "html", "cut jpeg", "cut png"],
)
def test_bombs_other_types_and_broken_files_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ImageRefused) as info:
        reencode(data, max_display=2000)
    assert info.value.reason == reason


def test_the_largest_picture_allowed_is_read() -> None:
    out = io.BytesIO()
    Image.new("L", (MAX_SIDE, 8)).save(out, "PNG")
    assert reencode(out.getvalue(), max_display=100).width == 100


def _council_form(council: Council, **extra: object) -> dict[str, object]:
    return {"name": council.name, "brand_colour": "#4c2c92", "contact_email": "a@b.example"} | (
        extra
    )


def test_a_council_logo_is_stored_redrawn_from_its_pixels(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    admin = client_as(Role.COUNCIL_ADMIN)
    upload = SimpleUploadedFile("logo.jpg", multi_picture(), content_type="image/jpeg")
    response = admin.post(reverse("core:council"), _council_form(council, logo=upload), **HOST)
    assert response.status_code == 302
    council.refresh_from_db()
    stored = default_storage.open(council.logo.name).read()
    assert council.logo.name.endswith(".jpg") and SECRET not in stored and SECRET2 not in stored
    assert set(jpeg_markers(stored)) <= JPEG_KEPT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bomb(), "at most 6000 pixels wide"),
        (animated("GIF"), "must be a PNG or JPEG"),
        (png()[:60], "logo file is damaged"),
    ],
    ids=["bomb", "gif", "cut"],
)
def test_a_refused_logo_gets_an_error_by_the_field_and_nothing_changes(
    client_as: Callable[[str | None], Client], council: Council, data: bytes, message: str
) -> None:
    admin = client_as(Role.COUNCIL_ADMIN)
    upload = SimpleUploadedFile("logo.png", data, content_type="image/png")
    page = admin.post(reverse("core:council"), _council_form(council, logo=upload), **HOST)
    text = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in text and message in text
    assert 'href="#id_logo"' in text  # the summary links to the field
    council.refresh_from_db()
    assert not council.logo and council.brand_colour != "#4c2c92"
