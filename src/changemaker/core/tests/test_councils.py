"""Councils, wards, branding and the host that picks the council."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Council, Role, Ward
from changemaker.core.models.councils import contrast_with_white
from changemaker.core.tests.factories import CouncilFactory, WardFactory
from changemaker.core.tests.pictures import png
from changemaker.core.validators import validate_logo

HOST = {"HTTP_HOST": "exampleton.test"}
PNG = png()


def test_each_host_gets_its_own_council(client: Client, council: Council) -> None:
    CouncilFactory(name="Riverside District Council", slug="riverside", domain="riverside.test")
    assert "Riverside District" in client.get("/", HTTP_HOST="riverside.test").content.decode()
    home = client.get("/", HTTP_HOST="localhost").content.decode()
    assert "Exampleton" in home  # unknown host: the default council


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#1d70b8") == pytest.approx(5.17, abs=0.01)


@pytest.mark.django_db
def test_pale_brand_colour_is_refused() -> None:
    council = CouncilFactory.build(brand_colour="#ffdd00")
    with pytest.raises(ValidationError) as error:
        council.full_clean()
    assert "contrast" in str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["E0501234", "X05012345", "e05012345", ""])
def test_ward_code_must_be_ons_style(code: str) -> None:
    ward = WardFactory.build(council=CouncilFactory(), code=code)
    with pytest.raises(ValidationError):
        ward.full_clean()


@pytest.mark.django_db
def test_ward_postcode_districts_are_checked() -> None:
    ward = WardFactory.build(council=CouncilFactory(), postcode_districts=["EX1", "NOT A CODE"])
    with pytest.raises(ValidationError) as error:
        ward.full_clean()
    assert "NOT A CODE" in str(error.value)


def test_logo_upload_is_checked_by_content_and_size() -> None:
    validate_logo(SimpleUploadedFile("logo.png", PNG))
    with pytest.raises(ValidationError, match="PNG or JPEG"):
        validate_logo(SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"))
    with pytest.raises(ValidationError, match="512 KB"):
        validate_logo(SimpleUploadedFile("logo.png", PNG + b"\0" * 600_000))


def test_admin_changes_council_and_adds_ward(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    admin = client_as(Role.COUNCIL_ADMIN)
    form = {
        "name": council.name,
        "brand_colour": "#4c2c92",
        "contact_email": "new@council.example",
        "contact_phone": "",
        "contact_address": "",
        "website": "",
    }
    assert admin.post(reverse("core:council"), form, **HOST).status_code == 302
    council.refresh_from_db()
    assert council.brand_colour == "#4c2c92"
    pale = admin.post(reverse("core:council"), {**form, "brand_colour": "#eeeeee"}, **HOST)
    assert "contrast" in pale.content.decode()
    council.refresh_from_db()
    assert council.brand_colour == "#4c2c92"

    ward = {"name": "Harbour", "code": "E05000123", "postcode_districts": "ex1, EX2 ;ex3"}
    assert admin.post(reverse("core:ward-new"), ward, **HOST).status_code == 302
    assert Ward.objects.get(code="E05000123").postcode_districts == ["EX1", "EX2", "EX3"]
    assert AuditEvent.objects.filter(action="ward.created").count() == 1
    assert AuditEvent.objects.filter(action="council.updated").count() == 1


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("#fff", "contrast ratio"),  # short form: read as #ffffff, then too pale
        ("not a colour", "Enter a colour as a # followed by 6 hex digits"),
        ("#ffdd0", "Enter a colour as a # followed by 6 hex digits"),
    ],
)
def test_bad_brand_colour_gets_an_error_summary_not_a_500(
    client_as: Callable[[str | None], Client], council: Council, colour: str, message: str
) -> None:
    admin = client_as(Role.COUNCIL_ADMIN)
    form = {"name": council.name, "brand_colour": colour, "contact_email": "a@council.example"}
    response = admin.post(reverse("core:council"), form, **HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and 'href="#id_brand_colour"' in html
    assert message in html
    # the page is still drawn in the saved colour, and nothing was saved
    assert "--cm-brand: #005a70;" in html
    council.refresh_from_db()
    assert council.brand_colour == "#005a70"
    assert not AuditEvent.objects.filter(action="council.updated").exists()


@pytest.mark.parametrize(("typed", "saved"), [("#4C2C92", "#4c2c92"), (" #036 ", "#003366")])
def test_brand_colour_is_normalised(
    client_as: Callable[[str | None], Client], council: Council, typed: str, saved: str
) -> None:
    admin = client_as(Role.COUNCIL_ADMIN)
    form = {"name": council.name, "brand_colour": typed, "contact_email": "a@council.example"}
    assert admin.post(reverse("core:council"), form, **HOST).status_code == 302
    council.refresh_from_db()
    assert council.brand_colour == saved
