"""Forms in the GOV.UK Design System style: labels, hints, error messages and an error summary.

Every form renders through ``GovUKFormRenderer``; the field template picks the GOV.UK component
for the widget (input, textarea, select, radios, checkbox, file upload).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from changemaker.core.fields import CHECKBOXES, DayField
from changemaker.core.models import Council, Role, User, Ward
from changemaker.core.models.councils import validate_host_name
from changemaker.core.selectors import COUNCIL_STAFF_ROLES, host_taken

# Read in the request (about 1 s for 10 MB); a larger file goes through the command.
MAX_BOUNDARIES_BYTES = 10 * 1024 * 1024


class GovUKFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def your_email(autocomplete: str = "email", **kwargs: Any) -> forms.EmailField:
    """The person's own email address, with GOV.UK's messages for it left empty or mistyped."""
    return forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
        **kwargs,
    )


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your full name")},
    )
    email = your_email(help_text=_("We will send you a link to check it is yours"))
    password = forms.CharField(
        label=_("Create a password"),
        help_text=_("Use at least 10 characters. Avoid common words and passwords."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        error_messages={"required": _("Create a password")},
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            probe = User(email=data.get("email", ""), name=data.get("name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class ResetRequestForm(PasswordResetForm):
    """Asking for a link to set a new password: GOV.UK's words, not Django's "This field is
    required"."""

    email = your_email()


class NewPasswordForm(SetPasswordForm):
    """Setting a new password from the emailed link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password")
        self.fields["new_password2"].error_messages["required"] = _("Enter the new password again")


class SignInForm(forms.Form):
    email = your_email("username")
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Security code"),
        help_text=_("The 6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter the 6-digit security code"),
            "invalid": _("Enter the security code as 6 digits, like 123456"),
        },
    )


class SecondFactorForm(forms.Form):
    """The second step of signing in: a code from the app, or one of the recovery codes."""

    code = forms.RegexField(
        label=_("Security code"),
        help_text=_(
            "The 6-digit code from your authenticator app. If you do not have your phone, "
            "enter one of your recovery codes, like abcd-2345."
        ),
        regex=r"^\s*(\d{6}|[A-Za-z2-7]{4}[-\s]?[A-Za-z2-7]{4})\s*$",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={
            "required": _("Enter the 6-digit security code or a recovery code"),
            "invalid": _(
                "Enter the security code as 6 digits, like 123456, or a recovery code as "
                "8 letters and numbers, like abcd-2345"
            ),
        },
    )


INVITABLE_ROLES = [
    (r.value, r.label) for r in Role if r not in {Role.RESIDENT, Role.PLATFORM_ADMIN}
]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their work email address"),
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=INVITABLE_ROLES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the role they will have")},
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class AcceptInvitationForm(forms.Form):
    name = RegistrationForm.base_fields["name"]
    password = RegistrationForm.base_fields["password"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            try:
                password_validation.validate_password(
                    data["password"], User(name=data.get("name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


BAD_COLOUR = _("Enter a colour as a # followed by 6 hex digits, like #1d70b8")


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = [
            "name",
            "brand_colour",
            "logo",
            "contact_email",
            "contact_phone",
            "contact_address",
            "website",
        ]
        help_texts = {
            "brand_colour": _(
                "Used behind white text in the header, so it must be dark enough to read"
            ),
            "logo": _("A PNG or JPEG image, smaller than 512 KB"),
        }
        error_messages = {"brand_colour": {"max_length": BAD_COLOUR}}

    def clean_brand_colour(self) -> str:
        """``#RGB`` or ``#RRGGBB`` in any case, stored as ``#rrggbb``; the model checks the
        contrast."""
        value = str(self.cleaned_data.get("brand_colour") or "").strip().lower()
        if re.fullmatch(r"#[0-9a-f]{3}", value):
            value = "#" + "".join(c * 2 for c in value[1:])
        if not re.fullmatch(r"#[0-9a-f]{6}", value):
            raise forms.ValidationError(BAD_COLOUR, code="invalid")
        return value


def _host(raw: str) -> str:
    """A host name as typed, tidied: no surrounding spaces, lower-case, no final dot."""
    return raw.strip().lower().rstrip(".")


class PlatformCouncilForm(CouncilForm):
    """A platform administrator adds a council (and invites its first administrator) or
    changes one: its names, the host names it answers on, contact and brand colour (checked
    as the council's own form checks it)."""

    other_domains = forms.CharField(
        label=_("Other web addresses (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "Put each on its own line, like cymryd-rhan.exampleton.gov.uk for a Welsh address"
        ),
    )
    first_admin = forms.EmailField(
        label=_("Email address of its first council administrator"),
        help_text=_("We will email them an invitation to create their account"),
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": _("Enter the email address of its first council administrator"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    field_order = [
        "name",
        "slug",
        "domain",
        "other_domains",
        "contact_email",
        "contact_address",
        "brand_colour",
        "first_admin",
    ]

    class Meta(CouncilForm.Meta):
        fields = ["name", "slug", "domain", "contact_email", "contact_address", "brand_colour"]
        help_texts = {
            **CouncilForm.Meta.help_texts,
            "slug": _("Lower-case letters, digits and hyphens, like exampleton"),
            "domain": _("The host name it answers on, like participate.exampleton.gov.uk"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].required = not self.instance.is_default
        self.fields["domain"].error_messages["required"] = _("Enter the web address it answers on")
        if self.instance.pk:
            # Changing a council: its short name stays (links and files use it); another
            # administrator may be invited, but need not be.
            del self.fields["slug"]
            self.fields["first_admin"].required = False
            self.fields["first_admin"].label = _("Invite a council administrator (optional)")
            self.initial["other_domains"] = "\n".join(
                self.instance.other_domains.values_list("host", flat=True)
            )

    def clean_domain(self) -> str:
        host = _host(str(self.cleaned_data.get("domain") or ""))
        if host:
            validate_host_name(host)
            if host_taken(host, self.instance.pk):
                raise forms.ValidationError(
                    _("Another council already answers on %(host)s") % {"host": host}
                )
        return host

    def clean_other_domains(self) -> list[str]:
        hosts: list[str] = []
        problems: list[str] = []
        raw = str(self.cleaned_data.get("other_domains") or "")
        for line, text in enumerate(raw.splitlines(), start=1):
            host = _host(text)
            if not host or host in hosts:
                continue
            try:
                validate_host_name(host)
            except forms.ValidationError as exc:
                problems += [
                    _("Line %(line)s: %(problem)s") % {"line": line, "problem": m}
                    for m in exc.messages
                ]
                continue
            if host_taken(host, self.instance.pk):
                problems.append(
                    _("Line %(line)s: another council already answers on %(host)s")
                    % {"line": line, "host": host}
                )
            hosts.append(host)
        if problems:
            raise forms.ValidationError(problems)
        return hosts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("domain") and data["domain"] in (data.get("other_domains") or []):
            self.add_error(
                "other_domains",
                _("%(host)s is its main web address already: leave it out here")
                % {"host": data["domain"]},
            )
        return data


class StaffRolesForm(forms.Form):
    """The roles a staff member holds in this council (GOV.UK checkboxes)."""

    roles = forms.MultipleChoiceField(  # type: ignore[call-arg]  # Django 5+ accepts it
        label=_("Roles"),
        help_text=_("Select all that apply. Give each person only the roles they need."),
        choices=[(r.value, r.label) for r in Role if r in COUNCIL_STAFF_ROLES],
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES,
        error_messages={
            "required": _(
                "Select at least one role, or remove them from this council if they are leaving"
            )
        },
    )


class WardForm(forms.ModelForm):
    postcode_districts = forms.CharField(
        label=_("Postcode districts"),
        required=False,
        help_text=_("Separate them with commas, like EX1, EX2"),
    )

    class Meta:
        model = Ward
        fields = ["name", "code", "postcode_districts"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["postcode_districts"] = ", ".join(self.instance.postcode_districts)

    def clean_postcode_districts(self) -> list[str]:
        raw = str(self.cleaned_data.get("postcode_districts") or "")
        return [part.strip().upper() for part in raw.replace(";", ",").split(",") if part.strip()]


class WardBoundariesForm(forms.Form):
    file = forms.FileField(
        label=_("Ward boundaries file (GeoJSON)"),
        help_text=_(
            "The ward boundaries from the ONS Open Geography Portal, downloaded as GeoJSON in "
            "longitude and latitude. Wards are matched by their ONS code (the WD24CD property, "
            "or another year's); other wards in the file are left out. Up to 10 MB."
        ),
        error_messages={"required": _("Choose a GeoJSON file of ward boundaries")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BOUNDARIES_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than 10 MB: download only your council's wards (filter "
                    "by local authority on the portal), or import it with the command "
                    "manage.py import_ward_boundaries"
                )
            )
        return upload


class AuditFilterForm(forms.Form):
    """Narrow the audit log: what happened, who did it, between which days (all optional)."""

    action = forms.ChoiceField(label=_("What happened"), required=False)
    person = forms.ChoiceField(label=_("Who did it"), required=False)
    since = DayField(label=_("From"), required=False, help_text=_("For example, 27/03/2027"))
    until = DayField(label=_("To"), required=False, help_text=_("For example, 27/03/2027"))

    def __init__(
        self,
        data: Any,
        *,
        actions: list[tuple[str, str]],
        people: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        self.fields["action"].choices = [("", _("Anything")), *actions]  # type: ignore[attr-defined]
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            ("system", _("The system (no person)")),
            *[(str(pk), name) for pk, name in people],
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must be the same as or after the start date"))
        return cleaned
