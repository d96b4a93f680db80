"""GOV.UK-style forms for community support. Labels are questions; errors say what to do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changemaker.core.fields import CHECKBOXES, DayField, normalise_postcode
from changemaker.core.models import Council
from changemaker.support.models import (
    Course,
    PartnerOrganisation,
    SafeguardingFlag,
    Skill,
    Urgency,
    VettingLevel,
    Volunteer,
    Weekday,
)
from changemaker.support.phones import PhoneField
from changemaker.support.selectors import locate


def _choices_field(label: Any, choices: Any, required_message: Any, **kwargs: Any) -> Any:
    return forms.MultipleChoiceField(  # type: ignore[call-arg]  # Django 5+ accepts it
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES,
        error_messages={"required": required_message},
        **kwargs,
    )


def _radio(label: Any, choices: Any, required_message: Any, **kwargs: Any) -> Any:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
        **kwargs,
    )


class PostcodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Postcode"))
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "postal-code",
                    "spellcheck": "false",
                    "class": "govuk-input--width-10",
                }
            ),
        )
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Enter a postcode"),
                "max_length": _("Enter a real postcode, like EX1 1AB"),
            },
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        raw = super().clean(value)
        postcode = normalise_postcode(raw)
        if postcode is None:
            raise forms.ValidationError(_("Enter a real postcode, like EX1 1AA"))
        return postcode


class _InCouncil(forms.Form):
    """A request form whose postcode must be in the council (``council`` given by the view):
    one the council's wards show is elsewhere is refused with where to go instead."""

    outside_message: Any = ""

    def __init__(self, *args: Any, council: Council | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council

    def clean_postcode(self) -> str:
        postcode: str = self.cleaned_data["postcode"]
        if self.council is not None and locate(self.council, postcode).outside:
            raise forms.ValidationError(
                self.outside_message, params={"postcode": postcode, "council": self.council.name}
            )
        return postcode


def _future(day: date | None) -> date | None:
    if day is not None and day < timezone.localdate():
        raise forms.ValidationError(_("The date help is needed must be today or in the future"))
    return day


class VolunteerForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=80,
        help_text=_("The people you help will see your first name only"),
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your first name")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your last name")},
    )
    phone = PhoneField(help_text=_("Only your coordinator will see it"))
    postcode = PostcodeField(
        label=_("Your postcode"),
        help_text=_("We use it to find requests near you. We never show it to anyone you help."),
    )
    date_of_birth = DayField(
        label=_("Date of birth"),
        example="27/03/2007",
        help_text=_("For example, 27/03/2007"),
        error_messages={"required": _("Enter your date of birth")},
    )
    skills = _choices_field(
        _("How can you help?"),
        Skill.choices,
        _("Choose at least one way you can help"),
        help_text=_("Select all that apply. Some need training first: we will arrange it."),
    )
    available_days = _choices_field(
        _("Which days are you usually free?"),
        Weekday.choices,
        _("Choose at least one day"),
    )
    max_distance_km = forms.TypedChoiceField(
        label=_("How far can you travel?"),
        choices=[
            ("1", _("Up to 1 km (a short walk)")),
            ("3", _("Up to 3 km")),
            ("5", _("Up to 5 km")),
            ("10", _("Up to 10 km (with a car or bike)")),
        ],
        coerce=float,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how far you can travel")},
    )
    capacity = forms.TypedChoiceField(
        label=_("How many requests can you take on at a time?"),
        choices=[("1", "1"), ("2", "2"), ("3", "3"), ("5", "5")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how many requests you can take on")},
    )
    organisation = forms.ChoiceField(
        label=_("Are you volunteering with a local group?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a group, or the council")},
    )
    guardian_name = forms.CharField(
        label=_("If you are under 18: your parent or guardian's full name"),
        required=False,
        max_length=150,
    )
    guardian_email = forms.EmailField(
        label=_("If you are under 18: your parent or guardian's email address"),
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )
    guardian_consent = forms.BooleanField(
        label=_("If you are under 18: my parent or guardian agrees to me volunteering"),
        required=False,
    )

    def __init__(self, *args: Any, partners: list[PartnerOrganisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = {str(p.pk): p for p in partners}
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("council", _("No, I will volunteer with the council")),
            *[(str(p.pk), p.name) for p in partners],
        ]

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if born >= today:
            raise forms.ValidationError(_("Your date of birth must be in the past"))
        if age < 14:
            raise forms.ValidationError(_("You must be 14 or older to volunteer"))
        if age > 110:
            raise forms.ValidationError(_("Enter a real date of birth, like 27/03/2007"))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = data.get("date_of_birth")
        if born is not None:
            probe = Volunteer(date_of_birth=born)
            if probe.is_minor:
                if not data.get("guardian_name", "").strip():
                    self.add_error("guardian_name", _("Enter your parent or guardian's name"))
                if not data.get("guardian_email"):
                    self.add_error(
                        "guardian_email", _("Enter your parent or guardian's email address")
                    )
                if not data.get("guardian_consent"):
                    self.add_error(
                        "guardian_consent",
                        _("Your parent or guardian must agree before you can volunteer"),
                    )
        choice = data.get("organisation")
        data["organisation"] = self.partners.get(choice or "") if choice != "council" else None
        return data


class StaffVolunteerForm(VolunteerForm):
    """A volunteer signed up by a coordinator (a paper form or a phone call)."""

    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        help_text=_("For reminders when their DBS check needs renewing"),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )
    field_order = ["first_name", "last_name", "email", "phone"]
    #: the coordinator fills it in for someone else: (label, hint, message if left empty)
    THEIR: dict[str, tuple[Any, Any, Any]] = {
        "first_name": (
            _("First name"),
            _("The people they help will see their first name only"),
            _("Enter their first name"),
        ),
        "last_name": (_("Last name"), "", _("Enter their last name")),
        "phone": (_("Phone number"), _("Only coordinators will see it"), None),
        "postcode": (
            _("Their postcode"),
            _("We use it to find requests near them. We never show it to anyone they help."),
            _("Enter their postcode"),
        ),
        "date_of_birth": (
            _("Date of birth"),
            _("For example, 27/03/2007"),
            _("Enter their date of birth"),
        ),
        "skills": (_("How can they help?"), None, _("Choose at least one way they can help")),
        "available_days": (_("Which days are they usually free?"), None, None),
        "max_distance_km": (
            _("How far can they travel?"),
            None,
            _("Choose how far they can travel"),
        ),
        "capacity": (
            _("How many requests can they take on at a time?"),
            None,
            _("Choose how many requests they can take on"),
        ),
        "organisation": (_("Which group do they volunteer with?"), None, None),
    }

    def __init__(self, *args: Any, partners: list[PartnerOrganisation], **kwargs: Any) -> None:
        super().__init__(*args, partners=partners, **kwargs)
        for name, (label, hint, required) in self.THEIR.items():
            field = self.fields[name]
            field.label = label
            if hint is not None:
                field.help_text = hint
            if required is not None:
                field.error_messages = {**field.error_messages, "required": required}


class ResidentRequestForm(_InCouncil):
    """The short, plain form a resident fills in to ask for help."""

    needs = _choices_field(
        _("What do you need help with?"),
        Skill.choices,
        _("Choose what you need help with"),
        help_text=_("Select all that apply"),
    )
    needed_on = DayField(
        label=_("When do you need help?"),
        help_text=_("For example, 27/03/2027"),
        error_messages={"required": _("Enter the date you need help")},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your name")},
    )
    phone = PhoneField(help_text=_("A coordinator will call you to check the details"))
    address = forms.CharField(
        label=_("First line of your address"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"required": _("Enter the first line of your address")},
    )
    postcode = PostcodeField()
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        help_text=_("We will email you the first name and ID badge number of who is coming"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )
    referrer_name = forms.CharField(
        label=_("Asking for someone else? Your name and organisation (optional)"),
        required=False,
        max_length=150,
        help_text=_(
            "For example, a GP surgery, a charity or a neighbour. Leave empty if the "
            "help is for you."
        ),
    )
    details = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    outside_message = _(
        "%(postcode)s is not in %(council)s: contact your own council. Find it at "
        "www.gov.uk/find-local-council"
    )

    def clean_needed_on(self) -> date | None:
        return _future(self.cleaned_data.get("needed_on"))


class TriageForm(forms.Form):
    urgency = _radio(_("How urgent is it?"), Urgency.choices, _("Choose how urgent it is"))
    needs = _choices_field(_("Help needed"), Skill.choices, _("Choose the help needed"))
    needed_on = DayField(
        label=_("Date help is needed"),
        help_text=_("For example, 27/03/2027"),
        error_messages={"required": _("Enter the date help is needed")},
    )
    vetting_required = _radio(
        _("What vetting must the volunteer have?"),
        VettingLevel.choices,
        _("Choose the vetting needed"),
    )
    safeguarding_flags = _choices_field(
        _("Safeguarding flags (optional)"),
        SafeguardingFlag.choices,
        "",
        required=False,
        help_text=_("Abuse, neglect or a mental health crisis also raise a concern for the lead"),
    )

    def clean_needed_on(self) -> date | None:
        return _future(self.cleaned_data.get("needed_on"))


class StaffRequestForm(_InCouncil, TriageForm):
    """A request taken on the phone or from a referrer, triaged as it is entered."""

    source = _radio(
        _("How did the request come in?"),
        [("phone", _("Phone call")), ("referrer", _("Referral from an organisation"))],
        _("Choose how the request came in"),
    )
    referrer_name = forms.CharField(
        label=_("Referred by (optional)"),
        required=False,
        max_length=150,
        help_text=_("The organisation and person, like Abbey Road Surgery, Dr Patel"),
    )
    name = forms.CharField(
        label=_("Name of the person who needs help"),
        max_length=150,
        error_messages={"required": _("Enter the name of the person who needs help")},
    )
    phone = PhoneField(label=_("Their phone number (optional)"), required=False)
    address = forms.CharField(
        label=_("First line of their address (optional)"), required=False, max_length=300
    )
    postcode = PostcodeField(label=_("Their postcode"))
    details = forms.CharField(
        label=_("Notes for the volunteer (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = [
        "source",
        "referrer_name",
        "name",
        "phone",
        "address",
        "postcode",
        "needs",
        "needed_on",
        "urgency",
        "vetting_required",
        "safeguarding_flags",
        "details",
    ]
    outside_message = _(
        "%(postcode)s is not in %(council)s: the person should contact their own council. "
        "Find it at www.gov.uk/find-local-council"
    )


class StatusForm(forms.Form):
    status = _radio(
        _("Move the volunteer to"), Volunteer.Status.choices, _("Choose the new status")
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Needed when pausing or leaving"),
    )


class VettingForm(forms.Form):
    level = _radio(_("DBS level"), VettingLevel.choices, _("Choose the DBS level"))
    certificate_number = forms.CharField(
        label=_("Certificate number"),
        max_length=20,
        help_text=_("12 digits, on the certificate"),
        error_messages={"required": _("Enter the certificate number")},
    )
    issued_on = DayField(
        label=_("Issue date"),
        help_text=_("For example, 27/03/2026"),
        example="27/03/2026",
        error_messages={"required": _("Enter the issue date")},
    )
    expires_on = DayField(
        label=_("Expiry or renewal date (optional)"),
        required=False,
        help_text=_("Leave empty if the council does not set one"),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked the certificate: record it for this volunteer anyway"),
        required=False,
        widget=forms.HiddenInput,  # a checkbox once the warning is shown (ask_to_confirm)
    )

    warning = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data.get("confirm_duplicate") in {"on", "true", "True"}:
            self.ask_to_confirm("")  # ticked once: keep the box in view, never hidden ticked

    def clean_certificate_number(self) -> str:
        raw = "".join(self.cleaned_data["certificate_number"].split())
        if not raw.isdigit() or len(raw) != 12:
            raise forms.ValidationError(_("Enter the 12-digit certificate number"))
        return raw

    def clean_issued_on(self) -> date:
        issued: date = self.cleaned_data["issued_on"]
        if issued > timezone.localdate():
            raise forms.ValidationError(
                _("The issue date must be today or in the past: check the date on the certificate")
            )
        return issued

    def ask_to_confirm(self, warning: str) -> None:
        """Show ``warning`` above the form and a box to tick to go on."""
        self.warning = warning
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()


class TrainingForm(forms.Form):
    course = _radio(_("Course"), Course.choices, _("Choose the course"))
    completed_on = DayField(
        label=_("Date completed"),
        help_text=_("For example, 27/03/2026"),
        example="27/03/2026",
        error_messages={"required": _("Enter the date the course was completed")},
    )
    expires_on = DayField(label=_("Renew by (optional)"), required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not help this time? (optional)"), required=False, max_length=300
    )


class HoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("How many hours did it take?"),
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": _("Enter the hours, like 1.5"),
            "invalid": _("Enter the hours as a number, like 1.5"),
            "min_value": _("Enter at least 0.25 hours"),
            "max_value": _("Enter 24 hours or fewer"),
        },
    )


class ConcernForm(forms.Form):
    details = forms.CharField(
        label=_("What happened, or what worries you?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Only the safeguarding lead will read this. If someone is in danger now, call 999."
        ),
        error_messages={"required": _("Describe what happened or what worries you")},
    )
    is_incident = forms.BooleanField(
        label=_("This is an incident that has already happened"), required=False
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For example, to change the time. Your coordinator will contact the resident for you."
        ),
        error_messages={"required": _("Write your message")},
    )


class CloseConcernForm(forms.Form):
    notes = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what was done before closing the concern")},
    )
