"""UK phone numbers on support's forms: landlines and mobiles, checked with Google's
libphonenumber data (the ``phonenumbers`` package) and kept in their national form."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

#: Characters a phone number may be typed with: digits, spaces, brackets, dashes, dots, "+".
PHONE_CHARACTERS = frozenset("0123456789+()-. ")
#: +44 numbers: the UK and the Crown Dependencies, which share its numbering plan.
UK_REGIONS = frozenset({"GB", "GG", "JE", "IM"})
#: Numbers a person answers: landlines and mobiles (not freephone, premium or pagers).
CALLABLE = frozenset(
    {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
#: Ofcom's ranges for drama (national digits, 1,000 numbers each), like GOV.UK's example
#: 07700 900 982. Our hints, the demo and the tests use them; libphonenumber calls them invalid.
OFCOM_DRAMA = (
    "1134960",
    "1144960",
    "1154960",
    "1164960",
    "1174960",
    "1184960",
    "1214960",
    "1314960",
    "1414960",
    "1514960",
    "1614960",
    "1914980",
    "2079460",
    "2896496",
    "2920180",
    "1632960",
    "7700900",
)
PHONE_EXAMPLE = _("like 01632 960 001 or 07700 900 982")


def normalise_uk_phone(raw: str) -> str:
    """A UK landline or mobile number as it is dialled in the UK (``+44 (0)7700 900982`` ->
    ``07700 900982``). Raises ValidationError saying what is wrong and what to type."""
    if not set(raw) <= PHONE_CHARACTERS:
        raise forms.ValidationError(
            _("Enter a phone number using only numbers, spaces and brackets, %(example)s"),
            params={"example": PHONE_EXAMPLE},
        )
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.extension:
        raise forms.ValidationError(
            _("Enter a phone number in the correct format, %(example)s"),
            params={"example": PHONE_EXAMPLE},
        )
    digits = str(number.national_number)
    drama = number.country_code == 44 and len(digits) == 10 and digits.startswith(OFCOM_DRAMA)
    if not drama:
        if number.country_code != 44 and phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("Enter a UK phone number, %(example)s"), params={"example": PHONE_EXAMPLE}
            )
        if phonenumbers.region_code_for_number(number) not in UK_REGIONS:
            raise forms.ValidationError(
                _("Enter a phone number in the correct format, %(example)s"),
                params={"example": PHONE_EXAMPLE},
            )
        if phonenumbers.number_type(number) not in CALLABLE:
            raise forms.ValidationError(
                _("Enter a landline or mobile number, %(example)s"),
                params={"example": PHONE_EXAMPLE},
            )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class PhoneField(forms.CharField):
    """A UK landline or mobile number, kept in its national form (07700 900982)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Phone number"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Enter a phone number, like 07700 900 982"),
                "max_length": _("Enter a phone number in the correct format, like 07700 900 982"),
            },
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        raw = super().clean(value)
        return normalise_uk_phone(raw) if raw else raw
