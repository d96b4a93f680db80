"""Form fields and small parsers every capability's forms share (GOV.UK patterns)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

#: The template of a GOV.UK checkboxes group (a multiple-choice field sets it).
CHECKBOXES = "core/forms/checkboxes.html"
#: How people type a date: 27/03/2027 first, as the GOV.UK hint shows.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d.%m.%Y", "%Y-%m-%d")
POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")


def lazy_percent(message: Any, values: dict[str, Any]) -> Any:
    """``message % values`` told when it is shown, in the reader's language: a lazy translation
    %-formatted as a module loads (a form field's label, hint or error) is told then, in
    English, for good. ``values`` may be lazy translations too."""
    return lazy(lambda: str(message) % values, str)()


#: The hint under every "… in Welsh (optional)" field (core.bilingual: blank = not yet).
WELSH_HINT = _("Leave blank until it is translated. Welsh readers see the English until then.")


def welsh_field(label: Any, *, max_length: int | None = None, rows: int = 0) -> forms.CharField:
    """The Welsh companion of an officer-written field, put directly after the English one:
    optional, labelled "… in Welsh (optional)" (``label``), a textarea when ``rows``."""
    attrs = {"lang": "cy", "spellcheck": "true"}
    widget = forms.Textarea(attrs={**attrs, "rows": rows}) if rows else forms.TextInput(attrs)
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=WELSH_HINT,
        widget=widget,
        error_messages={
            "max_length": _("The Welsh must be %(limit_value)s characters or fewer"),
        },
    )


def normalise_postcode(raw: str) -> str | None:
    """``"ex11aa"`` -> ``"EX1 1AA"``; None if it is not shaped like a UK postcode."""
    match = POSTCODE.match(" ".join(raw.upper().split()))
    return f"{match.group(1)} {match.group(2)}" if match else None


def parse_day(raw: str) -> date | None:
    """A date typed in any of :data:`DATE_FORMATS`, or None."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


class DayField(forms.CharField):
    """A date typed as 27/03/2027 (GOV.UK hint: 'For example, 27/03/2027', unless the field
    gives its own)."""

    def __init__(self, *, example: str = "27/03/2027", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", lazy_percent(_("For example, %(day)s"), {"day": example}))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": "10", "class": "govuk-input--width-10"}
            ),
        )
        self.example = example
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        raw = str(super().to_python(value) or "").strip()
        if not raw:
            return None
        day = parse_day(raw)
        if day is None:
            raise forms.ValidationError(
                _("Enter a real date, like %(example)s") % {"example": self.example}
            )
        return day

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        return value


def csv_text(upload: Any, *, max_bytes: int, too_big: Any) -> str:
    """An uploaded CSV file as text, or a ValidationError that says what to do: too big
    (``too_big``, e.g. "The file must be smaller than 20 MB"), not a .csv, not UTF-8 text."""
    if upload.size > max_bytes:
        raise forms.ValidationError(too_big)
    if not upload.name.lower().endswith(".csv"):
        raise forms.ValidationError(_("The file must be a CSV file ending in .csv"))
    try:
        return str(upload.read().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise forms.ValidationError(
            _("The file is not text in UTF-8. Save it as CSV UTF-8 and try again.")
        ) from exc
