from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from changemaker.consultations.engine import file_kind
from changemaker.consultations.models import (
    MAX_STATEMENT,
    MIN_PEOPLE_FLOOR,
    Consultation,
    default_min_participants,
)
from changemaker.core.fields import WELSH_HINT, lazy_percent, welsh_field


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Add your own statement"),
        max_length=MAX_STATEMENT,
        help_text=lazy_percent(
            _("One clear point others can agree or disagree with, in %(n)s characters or fewer"),
            {"n": MAX_STATEMENT},
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write your statement"),
            "max_length": lazy_percent(
                _("Your statement must be %(n)s characters or fewer"), {"n": MAX_STATEMENT}
            ),
        },
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this statement?"),
        max_length=200,
        error_messages={"required": _("Say what is wrong with it")},
    )


class ModerationForm(forms.Form):
    """A moderator's decision on one statement. Each statement on the page has its own form,
    with its own ids (``statement-<number>-reason``), so an error links to the right field."""

    statement = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("publish", _("Show it")), ("remove", _("Remove it"))],
        error_messages={"required": _("Choose to show or remove the statement")},
    )
    reason = forms.CharField(
        max_length=200,
        required=False,
        error_messages={"max_length": _("The reason must be 200 characters or fewer")},
    )

    def __init__(self, data: Any = None, *, number: int) -> None:
        super().__init__(data, auto_id=f"statement-{number}-%s", initial={"statement": number})
        self.number = number
        self.fields["reason"].label = _("Reason, if you remove statement %(n)s") % {"n": number}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "remove" and not str(data.get("reason", "")).strip():
            self.add_error("reason", _("Give the reason for removing the statement"))
        return data


class ConsultationForm(forms.Form):
    question = forms.CharField(
        label=_("Question"), max_length=200, error_messages={"required": _("Enter the question")}
    )
    question_cy = welsh_field(_("Question in Welsh (optional)"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name for the web address"),
        max_length=80,
        error_messages={
            "required": _("Enter a short name"),
            "invalid": _("Use only lower-case letters, numbers and hyphens"),
        },
    )
    background = forms.CharField(
        label=_("Background"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    background_cy = welsh_field(_("Background in Welsh (optional)"), rows=4)
    seeds = forms.CharField(
        label=_("Starting statements"),
        required=False,
        help_text=_("One per line. Residents vote on these first."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    seeds_cy = forms.CharField(
        label=_("Starting statements in Welsh (optional)"),
        required=False,
        help_text=format_lazy(
            "{} {}", _("One per line, in the same order as the English ones."), WELSH_HINT
        ),
        widget=forms.Textarea(attrs={"rows": 6, "lang": "cy"}),
    )
    days = forms.IntegerField(
        label=_("How many days will it stay open?"), min_value=1, max_value=365, initial=28
    )
    moderation = forms.ChoiceField(
        label=_("Checking new statements"),
        choices=Consultation.Moderation.choices,
        widget=forms.RadioSelect,
        initial="after",
    )
    audience = forms.ChoiceField(
        label=_("Who can take part"),
        choices=Consultation.Audience.choices,
        widget=forms.RadioSelect,
        initial="anyone",
    )
    min_participants = forms.IntegerField(
        label=_("How many people must vote before the map of opinion is shown?"),
        help_text=lazy_percent(
            _(
                "Until then the map and its groups are hidden, so that nobody's votes can be "
                "picked out. At least %(floor)s."
            ),
            {"floor": MIN_PEOPLE_FLOOR},
        ),
        min_value=MIN_PEOPLE_FLOOR,
        max_value=1000,
        initial=default_min_participants,
        error_messages={
            "required": _("Enter how many people must vote before the map is shown"),
            "invalid": _("Enter a whole number, like 7"),
            "min_value": lazy_percent(
                _("Enter %(floor)s or more, so that nobody's votes can be picked out"),
                {"floor": MIN_PEOPLE_FLOOR},
            ),
            "max_value": _("Enter 1,000 or fewer"),
        },
    )

    def clean_seeds(self) -> list[str]:
        return _statement_lines(self.cleaned_data["seeds"])

    def clean_seeds_cy(self) -> list[str]:
        return _statement_lines(self.cleaned_data["seeds_cy"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        english, welsh = data.get("seeds"), data.get("seeds_cy")
        if english is not None and welsh and len(welsh) != len(english):
            self.add_error(
                "seeds_cy",
                _(
                    "Write one Welsh statement for each of the %(n)s English ones, in the "
                    "same order, or leave the Welsh blank"
                )
                % {"n": len(english)},
            )
        return data

    def dates(self) -> dict[str, Any]:
        now = timezone.now()
        return {"opens_at": now, "closes_at": now + timedelta(days=self.cleaned_data["days"])}


def _statement_lines(raw: str) -> list[str]:
    """One statement a line (blank lines skipped); a line too long is named by its number."""
    lines = [line.strip() for line in str(raw).splitlines()]
    too_long = [n for n, line in enumerate(lines, start=1) if len(line) > MAX_STATEMENT]
    if too_long:
        raise forms.ValidationError(
            _("Line %(n)s is longer than %(max)s characters")
            % {"n": too_long[0], "max": MAX_STATEMENT}
        )
    return [line for line in lines if line]


class WelshForm(forms.Form):
    """The Welsh version of a consultation: its question, background and each statement
    people can see (a field per statement: ``statement_<number>``)."""

    question_cy = welsh_field(_("Question in Welsh (optional)"), max_length=200)
    background_cy = welsh_field(_("Background in Welsh (optional)"), rows=4)

    def __init__(self, data: Any = None, *, consultation: Any, statements: Any) -> None:
        initial = {"question_cy": consultation.question_cy}
        initial["background_cy"] = consultation.background_cy
        super().__init__(data, initial=initial)
        self.statements = list(statements)
        for s in self.statements:
            self.fields[f"statement_{s.number}"] = welsh_field(
                _("Statement %(n)s in Welsh (optional)") % {"n": s.number},
                max_length=MAX_STATEMENT,
                rows=2,
            )
            self.initial[f"statement_{s.number}"] = s.text_cy

    def statement_fields(self) -> list[tuple[Any, Any]]:
        """Each statement with its Welsh field (the page shows the English above it)."""
        return [(s, self[f"statement_{s.number}"]) for s in self.statements]

    def statements_cy(self) -> dict[int, str]:
        return {s.number: self.cleaned_data[f"statement_{s.number}"] for s in self.statements}


class ImportForm(forms.Form):
    question = forms.CharField(
        label=_("Question"), max_length=200, error_messages={"required": _("Enter the question")}
    )
    slug = forms.SlugField(
        label=_("Short name for the web address"),
        max_length=80,
        error_messages={"required": _("Enter a short name")},
    )
    comments = forms.FileField(
        label=_("comments.csv"), error_messages={"required": _("Choose the comments.csv file")}
    )
    votes = forms.FileField(
        label=_("votes.csv or participants-votes.csv"),
        help_text=_("participant-votes.csv from newer versions of Polis works too"),
        error_messages={"required": _("Choose the votes file")},
    )

    MAX_BYTES = 50 * 1024 * 1024

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in ("comments", "votes"):
            upload = data.get(field)
            if upload is not None and upload.size > self.MAX_BYTES:
                self.add_error(field, _("The file must be smaller than 50 MB"))
        return data

    def uploads(self) -> dict[str, Any]:
        """The uploaded files under the names the import reads, told apart by their header
        rows (a file name says little: Polis itself has used two names for the matrix)."""
        votes = self.cleaned_data["votes"]
        head = votes.read(64 * 1024).decode("utf-8", errors="replace")
        votes.seek(0)
        name = file_kind(head)
        if name not in ("votes.csv", "participants-votes.csv"):
            name = "participants-votes.csv" if "participant" in votes.name else "votes.csv"
        return {"comments.csv": self.cleaned_data["comments"], name: votes}


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses of the people to invite"),
        help_text=_("One per line. They need an account here to take part."),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        error_messages={"required": _("Enter at least one email address")},
    )

    def clean_emails(self) -> list[str]:
        from django.core.validators import validate_email

        emails = [e.strip().lower() for e in str(self.cleaned_data["emails"]).split()]
        for n, email in enumerate(emails, start=1):
            try:
                validate_email(email)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Line %(n)s is not an email address, like name@example.com") % {"n": n}
                ) from exc
        return emails
