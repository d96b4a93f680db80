from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from changemaker.core.validators import validate_logo

HEX_COLOUR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as a # followed by 6 hex digits, like #1d70b8")
)
ONS_CODE = RegexValidator(
    r"^[EWSN]\d{8}$",
    _("Enter an ONS code: a letter E, W, S or N followed by 8 digits, like E05012345"),
)
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
HOST_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def validate_host_name(value: str) -> None:
    """A host name a council answers on: lower-case letters, digits, hyphens and dots, like
    participate.exampleton.gov.uk (no https://, no path, no port)."""
    if "://" in value or "/" in value or ":" in value:
        raise ValidationError(
            _(
                "Enter only the host name, without https://, a port or a path, like "
                "participate.exampleton.gov.uk"
            ),
            code="not_host",
        )
    if value != value.lower():
        raise ValidationError(_("Enter the web address in lower-case letters"), code="case")
    labels = value.split(".")
    if len(value) > 253 or not all(HOST_LABEL.match(label) for label in labels):
        raise ValidationError(
            _(
                "Enter a web address made of letters, digits and hyphens separated by dots, "
                "like participate.exampleton.gov.uk (for letters with accents, use the "
                "address's xn-- form)"
            ),
            code="invalid",
        )


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    """WCAG contrast ratio of white text on this colour."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


class Council(models.Model):
    """A council. One install can serve one council or a shared service of several."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    domain = models.CharField(
        _("web address"),
        max_length=253,
        blank=True,
        validators=[validate_host_name],
        help_text=_("Host name this council is served on, like participate.exampleton.gov.uk"),
    )
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default="#1d70b8", validators=[HEX_COLOUR]
    )
    logo = models.FileField(
        _("logo"), upload_to="council-logos/", blank=True, validators=[validate_logo]
    )
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_default = models.BooleanField(
        _("default council"),
        default=False,
        help_text=_("Shown when the web address matches no council."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain"], condition=~models.Q(domain=""), name="council_domain_unique"
            )
        ]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            re.fullmatch(r"#[0-9a-fA-F]{6}", self.brand_colour or "")
            and contrast_with_white(self.brand_colour) < 4.5
        ):
            raise ValidationError(
                {
                    "brand_colour": _(
                        "Choose a darker brand colour: white text on it must have a contrast "
                        "ratio of at least 4.5 to 1 (WCAG 2.2 AA)"
                    )
                }
            )


class CouncilDomain(models.Model):
    """Another host name a council answers on besides its main web address (a Welsh council's
    Welsh-language address, an old address kept working). No two councils share a host name:
    ``core.actions.save_council`` checks it against every council's main address too."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="other_domains")
    host = models.CharField(
        _("web address"), max_length=253, unique=True, validators=[validate_host_name]
    )

    class Meta:
        ordering = ["host"]
        verbose_name = _("other web address")
        verbose_name_plural = _("other web addresses")

    def __str__(self) -> str:
        return self.host


class Ward(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="wards")
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("ONS code"), max_length=9, unique=True, validators=[ONS_CODE])
    postcode_districts = models.JSONField(
        _("postcode districts"), default=list, blank=True, help_text=_("Like EX1, EX2")
    )
    # A GeoJSON MultiPolygon in longitude and latitude, simplified for display
    # (core.geo.read_boundaries); empty until boundaries are imported.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        ordering = ["council", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="ward_name_unique_in_council")
        ]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        super().clean()
        bad = [d for d in self.postcode_districts or [] if not POSTCODE_DISTRICT.match(str(d))]
        if bad:
            raise ValidationError(
                {
                    "postcode_districts": _(
                        "Enter postcode districts like EX1 or EX12; these are not valid: %(bad)s"
                    )
                    % {"bad": ", ".join(map(str, bad))}
                }
            )
