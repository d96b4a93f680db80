"""Published photos carry no metadata: no GPS, no name, no device; pictures stay upright."""

from __future__ import annotations

import pytest

from changemaker.budgeting.images import DamagedImage, _orientation, strip_metadata
from changemaker.budgeting.tests.pictures import SECRET, jpeg, png


def test_png_loses_its_text_exif_and_time_but_keeps_the_picture() -> None:
    original = png()
    clean = strip_metadata(original)
    assert SECRET not in clean and b"tEXt" not in clean and b"eXIf" not in clean
    for kept in (b"IHDR", b"IDAT", b"IEND"):
        assert kept in clean
    assert strip_metadata(clean) == clean


@pytest.mark.parametrize("orientation", [1, 6, 8])
def test_jpeg_keeps_the_picture_colour_and_orientation_only(orientation: int) -> None:
    clean = strip_metadata(jpeg(orientation=orientation))
    assert SECRET not in clean and b"xmpmeta" not in clean and b"comment" not in clean
    assert b"JFIF" in clean and b"ICC_PROFILE" in clean
    assert clean.endswith(b"\x12\x34\x56\xff\xd9")  # the scan, untouched
    if orientation == 1:
        assert b"Exif" not in clean
    else:
        exif = clean[clean.index(b"Exif\0\0") + 6 :]
        assert _orientation(exif) == orientation
    assert strip_metadata(clean) == clean


@pytest.mark.parametrize(
    "broken",
    [png()[:40], jpeg()[:30], b"\xff\xd8\x00\x00", b"\x89PNG\r\n\x1a\n", b"GIF89a"],
    ids=["cut PNG", "cut JPEG", "JPEG without markers", "PNG without chunks", "not an image"],
)
def test_a_broken_file_is_refused(broken: bytes) -> None:
    with pytest.raises(DamagedImage):
        strip_metadata(broken)
