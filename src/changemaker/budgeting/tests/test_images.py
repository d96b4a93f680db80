"""Idea pictures are published redrawn from their pixels: no GPS, no appended picture, no
trailing data, no decompression bomb; a refused file gets a clear error by the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from changemaker.budgeting.models import MAX_IDEA_IMAGE_DISPLAY, Process, Project
from changemaker.core.models import Role
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
from changemaker.core.tests.test_images import JPEG_KEPT, PNG_KEPT, _open

HOST = {"HTTP_HOST": "exampleton.test"}


def _post(client: Client, process: Process, data: bytes, name: str = "photo.jpg") -> str:
    form = {
        "title": "Benches",
        "description": "Somewhere to sit",
        "heading": process.headings.get().pk,
        "rough_cost": "4000",
        "image": SimpleUploadedFile(name, data, content_type="image/jpeg"),
        "image_alt": "A bench by the river",
    }
    response = client.post(reverse("budgeting:idea-new", args=[process.slug]), form, **HOST)
    return response.content.decode() if response.status_code == 200 else response["Location"]


def _stored(process: Process) -> bytes:
    name = Project.objects.get(process=process, title="Benches").image.name
    return bytes(default_storage.open(name).read())


def test_a_phone_photo_with_a_second_picture_appended_keeps_no_gps(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    """Found in production: the appended picture (with its own GPS) was published."""
    process = make_process(phase="ideas")
    _post(client_as(Role.RESIDENT), process, multi_picture())
    stored = _stored(process)
    assert SECRET not in stored and SECRET2 not in stored and b"Exif" not in stored
    assert set(jpeg_markers(stored)) <= JPEG_KEPT  # one picture, nothing after its end
    assert _open(stored).size == (20, 40)  # turned upright by its EXIF orientation


def test_a_png_with_text_and_trailing_data_is_stored_clean(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    _post(client_as(Role.RESIDENT), process, png(trailing=SECRET), name="map.png")
    stored = _stored(process)
    assert SECRET not in stored and set(png_chunks(stored)) <= PNG_KEPT


def test_a_big_photo_is_stored_at_the_display_size(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    _post(client_as(Role.RESIDENT), process, jpeg(size=(4000, 3000), orientation=1))
    assert _open(_stored(process)).size == (MAX_IDEA_IMAGE_DISPLAY, 1500)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bomb(), "at most 6000 pixels wide and 6000 pixels high"),
        (bomb(6001, 2), "at most 6000 pixels wide and 6000 pixels high"),
        (animated("GIF"), "saved as a PNG or JPEG file"),
        (animated("WEBP"), "saved as a PNG or JPEG file"),
        (b"MZ\x90\x00 not a picture at all", "saved as a PNG or JPEG file"),
        (jpeg()[:-200], "The picture file is damaged"),
    ],
    ids=["30000x30000 bomb", "too wide", "animated gif", "animated webp", "not an image", "cut"],
)
def test_a_refused_picture_gets_an_error_by_the_field_and_nothing_is_written(
    data: bytes,
    message: str,
    make_process: Callable[..., Process],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(phase="ideas")
    page = _post(client_as(Role.RESIDENT), process, data)
    assert "There is a problem" in page and message in page
    assert 'href="#id_image"' in page  # the error summary links to the field
    assert not Project.objects.filter(title="Benches").exists()
