from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changemaker.budgeting.engine.register import parse_date
from changemaker.budgeting.models import Evidence, Heading, Process, Project, validate_idea_image
from changemaker.core.bilingual import text
from changemaker.core.fields import csv_text, welsh_field
from changemaker.core.models import Ward
from changemaker.core.models.commitments import Commitment

# An idea's title fits a results table and a chart label; its description, about 300 words,
# is enough to say what and for whom (checked here, on the server, with or without JavaScript).
IDEA_TITLE_MAX = 100
IDEA_DESCRIPTION_MAX = 2000
# Welsh runs about a fifth longer than the English it translates.
IDEA_DESCRIPTION_CY_MAX = 2500


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Give your idea a short title"),
        max_length=IDEA_TITLE_MAX,
        help_text=_("Up to 100 characters."),
        error_messages={
            "required": _("Enter a title for your idea"),
            "max_length": _("The title must be 100 characters or less"),
        },
    )
    description = forms.CharField(
        label=_("Describe your idea"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=IDEA_DESCRIPTION_MAX,
        help_text=_("What would you like to happen, and who would it help?"),
        error_messages={
            "required": _("Describe your idea"),
            "max_length": _("The description must be 2,000 characters or less"),
        },
    )
    heading = forms.ModelChoiceField(
        label=_("Which budget is it for?"),
        queryset=Heading.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the budget")},
    )
    location = forms.CharField(
        label=_("Where would it happen? (optional)"),
        help_text=_("A street, park or building, like Castle Park"),
        required=False,
        max_length=200,
    )
    ward = forms.ModelChoiceField(
        label=_("Which ward is it in? (optional)"),
        queryset=Ward.objects.none(),
        required=False,
        empty_label=_("Not in one ward, or not sure"),
    )
    rough_cost = forms.IntegerField(
        label=_("Roughly how much would it cost, in pounds?"),
        min_value=1,
        max_value=10_000_000,
        help_text=_("A guess is fine. Officers will check it."),
        error_messages={
            "required": _("Enter a rough cost, like 5000"),
            "invalid": _("Enter the cost as a whole number of pounds, like 5000"),
            "min_value": _("The cost must be at least £1"),
        },
    )
    image = forms.FileField(
        label=_("Add a photo or picture (optional)"),
        required=False,
        validators=[validate_idea_image],
        help_text=_(
            "A PNG or JPEG file, smaller than 5 MB and at most 6000 pixels wide and high. "
            "Do not show people who have not agreed to it."
        ),
    )
    image_alt = forms.CharField(
        label=_("If you add a picture, describe what it shows"),
        required=False,
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For people who cannot see it, like: The broken swings in Castle Park"),
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heading"].queryset = process.headings.all()  # type: ignore[attr-defined]
        self.fields["heading"].label_from_instance = lambda h: text(h, "name")  # type: ignore[attr-defined]
        wards = process.council.wards.all()
        if wards.exists():
            self.fields["ward"].queryset = wards  # type: ignore[attr-defined]
        else:
            del self.fields["ward"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("image") or self.files.get(self.add_prefix("image"))
        if chosen and not str(data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe what the picture shows"))
        if not data.get("image"):
            data["image_alt"] = ""
        return data


def _date(label: Any, required: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=_("For example, 27/03/2027"),
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={
            "required": required,
            "invalid": _("Enter the date like 27/03/2027"),
        },
    )


class ProcessForm(forms.Form):
    """A new participatory budget: what it is, its phases by date, its ballot and its money."""

    title = forms.CharField(
        label=_("Title"), max_length=150, error_messages={"required": _("Enter a title")}
    )
    title_cy = welsh_field(_("Title in Welsh (optional)"), max_length=150)
    slug = forms.SlugField(
        label=_("Short name for the web address"),
        max_length=80,
        help_text=_("Lower-case letters, numbers and hyphens, like park-2024"),
        error_messages={
            "required": _("Enter a short name"),
            "invalid": _("Use only lower-case letters, numbers and hyphens"),
        },
    )
    summary = forms.CharField(
        label=_("Summary residents see first"),
        max_length=300,
        error_messages={"required": _("Enter a summary")},
    )
    summary_cy = welsh_field(_("Summary in Welsh (optional)"), max_length=300)
    description = forms.CharField(
        label=_("More about it (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_cy = welsh_field(_("More about it in Welsh (optional)"), rows=4)
    ideas_from = _date(_("Ideas open on"), _("Enter the date ideas open"))
    review_from = _date(_("Ideas close, and checking starts, on"), _("Enter the date ideas close"))
    voting_from = _date(_("Voting opens on"), _("Enter the date voting opens"))
    voting_last_day = _date(_("Last day of voting"), _("Enter the last day of voting"))
    delivery_from = _date(
        _("Delivery starts on (results are shown from the close until then)"),
        _("Enter the date delivery starts"),
    )
    ballot_type = forms.ChoiceField(
        label=_("How do residents vote?"),
        choices=Process.BallotType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how residents vote")},
    )
    max_projects = forms.IntegerField(
        label=_("Most projects a resident can choose or rank"),
        min_value=1,
        max_value=100,
        initial=5,
        help_text=_("Used when residents choose or rank a number of projects"),
    )
    points_total = forms.IntegerField(
        label=_("Points each resident shares out"),
        min_value=1,
        max_value=1000,
        initial=10,
        help_text=_("Used when residents share out points"),
    )
    rule = forms.ChoiceField(
        label=_("How are the votes counted?"),
        choices=Process.Rule.choices,
        initial=Process.Rule.MES,
        widget=forms.RadioSelect,
    )
    moderation = forms.ChoiceField(
        label=_("When are ideas checked?"),
        choices=Process.Moderation.choices,
        initial=Process.Moderation.BEFORE,
        required=False,  # not chosen: checked first
        widget=forms.RadioSelect,
        help_text=_("Checking first keeps personal details and abuse off the site"),
    )
    min_age = forms.IntegerField(
        label=_("Minimum age to vote"), min_value=0, max_value=25, initial=16
    )
    evidence = forms.ChoiceField(
        label=_("How do you check that voters live in the area?"),
        choices=Evidence.choices,
        initial=Evidence.REGISTER,
        widget=forms.RadioSelect,
        help_text=_(
            "Matching the residents register is the safest online check; import the register "
            "before voting opens. Voting codes posted to residents work whichever you choose."
        ),
        error_messages={"required": _("Choose how voters are checked")},
    )
    split = forms.ChoiceField(
        label=_("How is the money divided?"),
        choices=[
            ("council", _("One budget for the whole council area")),
            ("ward", _("One budget for each ward (residents vote in their own ward's)")),
        ],
        initial="council",
        widget=forms.RadioSelect,
    )
    budget = forms.IntegerField(
        label=_("Budget in pounds (for each ward, if divided by ward)"),
        min_value=1,
        max_value=2_000_000_000,
        error_messages={
            "required": _("Enter the budget, like 50000"),
            "invalid": _("Enter the budget as a whole number of pounds, like 50000"),
        },
    )

    def clean_moderation(self) -> str:
        return str(self.cleaned_data.get("moderation") or Process.Moderation.BEFORE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        order = ["ideas_from", "review_from", "voting_from", "voting_last_day", "delivery_from"]
        for before, after in itertools.pairwise(order):
            a, b = data.get(before), data.get(after)
            if a and b and (b <= a if after == "delivery_from" else b < a):
                self.add_error(after, _("This date must not come before the one above"))
        return data

    def dates(self) -> dict[str, datetime]:
        """The phase boundaries, at midnight local time; voting closes at the end of its day."""
        data = self.cleaned_data
        tz = timezone.get_current_timezone()

        def midnight(day: date) -> datetime:
            return datetime.combine(day, datetime.min.time(), tzinfo=tz)

        return {
            "ideas_from": midnight(data["ideas_from"]),
            "review_from": midnight(data["review_from"]),
            "voting_from": midnight(data["voting_from"]),
            "voting_until": midnight(data["voting_last_day"] + timedelta(days=1)),
            "delivery_from": midnight(data["delivery_from"]),
        }


class EditProcessForm(ProcessForm):
    """Change a budget: its words and its dates (how residents vote and how votes are counted
    stay as they were: changing them would change ballots already given)."""

    FIXED = (
        "slug", "ballot_type", "max_projects", "points_total", "rule", "moderation",
        "min_age", "evidence", "split", "budget",
    )  # fmt: skip

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        tz = timezone.get_current_timezone()

        def day(moment: datetime) -> date:
            return moment.astimezone(tz).date()

        kwargs.setdefault(
            "initial",
            {
                "title": process.title,
                "title_cy": process.title_cy,
                "summary": process.summary,
                "summary_cy": process.summary_cy,
                "description": process.description,
                "description_cy": process.description_cy,
                "ideas_from": day(process.ideas_from),
                "review_from": day(process.review_from),
                "voting_from": day(process.voting_from),
                "voting_last_day": day(process.voting_until - timedelta(seconds=1)),
                "delivery_from": day(process.delivery_from),
            },
        )
        super().__init__(*args, **kwargs)
        for name in self.FIXED:
            del self.fields[name]
        self.process = process
        self.headings = list(process.headings.all())
        names = list(self.fields)
        after = names.index("description_cy") + 1
        for head in self.headings:
            self.fields[f"heading_{head.pk}"] = welsh_field(
                _("Name of the budget “%(name)s” in Welsh (optional)") % {"name": head.name},
                max_length=120,
            )
            self.initial.setdefault(f"heading_{head.pk}", head.name_cy)
        self.order_fields(
            names[:after] + [f"heading_{h.pk}" for h in self.headings] + names[after:]
        )

    def headings_cy(self) -> dict[int, str]:
        """Each budget's Welsh name, by its id."""
        return {h.pk: self.cleaned_data[f"heading_{h.pk}"] for h in self.headings}

    def dates(self) -> dict[str, datetime]:
        """As for a new budget, but a day left as it was keeps its exact time (an imported or
        demo budget's phases need not start at midnight)."""
        days = super().dates()
        for name in days:
            field = "voting_last_day" if name == "voting_until" else name
            if self.cleaned_data[field] == self.initial.get(field):
                days[name] = getattr(self.process, name)
        return days


class CloseEarlyForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you closing it early?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Residents see this reason on the budget's page."),
        error_messages={"required": _("Give the reason for closing early")},
    )


class IdeaWelshForm(forms.Form):
    """An officer's Welsh version of an idea (residents write in either language)."""

    title_cy = welsh_field(_("Title in Welsh (optional)"), max_length=150)
    description_cy = welsh_field(
        _("Description in Welsh (optional)"), max_length=IDEA_DESCRIPTION_CY_MAX, rows=6
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (Project.Status.SHORTLISTED, _("Put it on the ballot")),
            (Project.Status.REJECTED, _("Do not go ahead")),
            (Project.Status.MERGED, _("Join it with a similar idea")),
        ],
        error_messages={"required": _("Choose a decision")},
    )
    final_cost = forms.IntegerField(
        label=_("Final cost in pounds"),
        required=False,
        min_value=1,
        help_text=_("Needed to put the idea on the ballot"),
    )
    merge_into = forms.ChoiceField(label=_("Similar idea to join it with"), required=False)
    note = forms.CharField(
        label=_("Reason residents will see"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = project.process.projects.exclude(pk=project.pk).exclude(
            status__in=[Project.Status.REJECTED, Project.Status.MERGED]
        )
        self.fields["merge_into"].choices = [("", _("Choose an idea"))] + [  # type: ignore[attr-defined]
            (p.code, f"{p.code}: {p.title}") for p in others
        ]


def _born_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your date of birth"),
        help_text=_("For example, 27/03/2007"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "bday", "inputmode": "numeric"}),
        error_messages={"required": _("Enter your date of birth")},
    )


def _postcode_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your postcode"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
        error_messages={"required": _("Enter your postcode")},
    )


class _BornMixin:
    cleaned_data: dict[str, Any]

    def clean_born(self) -> date:
        born = parse_date(self.cleaned_data["born"].strip().replace(" ", "/"))
        if born is None:
            raise forms.ValidationError(_("Enter your date of birth like 27/03/2007"))
        if born > date.today():
            raise forms.ValidationError(_("Your date of birth must be in the past"))
        return born


class EligibilityForm(_BornMixin, forms.Form):
    """Postcode and date of birth; and the surname where the register is checked."""

    surname = forms.CharField(
        label=_("Your surname (last name)"),
        help_text=_("As it is on the electoral register or your council tax bill"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your surname")},
    )
    postcode = _postcode_field()
    born = _born_field()

    def __init__(self, *args: Any, register: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not register:
            del self.fields["surname"]


class ManualCheckForm(_BornMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your full name")},
    )
    postcode = _postcode_field()
    born = _born_field()
    note = forms.CharField(
        label=_("Anything that helps us check (optional)"),
        help_text=_("For example, you moved here recently, or your name has changed"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ManualDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("They live in the ward they gave: they can vote")),
            ("refuse", _("They cannot vote")),
        ],
        error_messages={"required": _("Choose a decision")},
    )
    reason = forms.CharField(
        label=_("Reason the resident will see"),
        required=False,
        help_text=_("Needed if they cannot vote. Do not include personal details."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegisterForm(forms.Form):
    file = forms.FileField(
        label=_("Residents register (CSV file)"),
        help_text=_(
            "Columns: name, date_of_birth, postcode and, if you have it, reference. It replaces "
            "the register you imported before."
        ),
        error_messages={"required": _("Choose a CSV file")},
    )

    def clean_file(self) -> str:
        return csv_text(
            self.cleaned_data["file"],
            max_bytes=MAX_REGISTER_BYTES,
            too_big=_("The file must be smaller than 100 MB"),
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your voting code"),
        help_text=_("It is on your letter, like ABCD-EFGH-JKLM"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter your voting code")},
    )


class CodesForm(forms.Form):
    ward = forms.ModelChoiceField(
        label=_("Which ward are the letters for?"),
        queryset=Ward.objects.none(),
        required=False,
        empty_label=_("The whole council area"),
        help_text=_("A code votes only in its ward's budget and the council-wide ones"),
    )
    count = forms.IntegerField(
        label=_("How many voting codes?"),
        min_value=1,
        max_value=5000,
        error_messages={"required": _("Enter how many codes to make")},
    )
    output = forms.ChoiceField(
        label=_("How do you want them?"),
        choices=[
            ("letters", _("Letters to print now")),
            ("csv", _("A CSV file for a mail merge")),
        ],
        initial="letters",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wards = Ward.objects.filter(pk__in=process.headings.values("ward"))
        if wards.exists():
            self.fields["ward"].queryset = wards  # type: ignore[attr-defined]
            if not process.headings.filter(ward__isnull=True).exists():
                self.fields["ward"].required = True
                self.fields["ward"].empty_label = None  # type: ignore[attr-defined]
                self.fields["ward"].error_messages["required"] = _("Choose the ward")
        else:
            del self.fields["ward"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("ward", None)
        return data


class PaperBallotForm(forms.Form):
    reference = forms.CharField(
        label=_("Ballot paper number"),
        max_length=40,
        error_messages={"required": _("Enter the ballot paper number")},
    )
    content = forms.ChoiceField(
        label=_("What is on the paper?"),
        choices=[
            ("votes", _("Votes: enter the marks below")),
            ("blank", _("Blank: nothing is marked")),
            ("spoilt", _("Spoilt: you cannot tell what the voter wanted")),
        ],
        initial="votes",
        required=False,  # not chosen: votes
        widget=forms.RadioSelect,
        help_text=_("Blank and spoilt papers are counted and shown, but not as votes."),
    )
    recount = forms.BooleanField(
        label=_("Count this budget again with this ballot added"),
        required=False,
        help_text=_("The votes have been counted. A late paper ballot changes the result."),
    )

    def __init__(self, *args: Any, counted: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not counted:
            del self.fields["recount"]

    def clean_content(self) -> str:
        return str(self.cleaned_data.get("content") or "votes")


class DeliveryForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Commitment.Status.choices, widget=forms.RadioSelect
    )
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(
        label=_("What has happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what has happened")},
    )


MAX_PB_BYTES = 20 * 1024 * 1024
MAX_REGISTER_BYTES = 100 * 1024 * 1024


class ImportForm(forms.Form):
    title = ProcessForm.base_fields["title"]
    slug = ProcessForm.base_fields["slug"]
    file = forms.FileField(
        label=_("Pabulib .pb file"),
        help_text=_("A file from pabulib.org, smaller than 20 MB"),
        error_messages={"required": _("Choose a .pb file")},
    )

    def clean_file(self) -> Any:
        """Size and name only: the background job reads the file and names any bad line."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PB_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 20 MB"))
        if not upload.name.lower().endswith(".pb"):
            raise forms.ValidationError(_("The file must be a Pabulib file ending in .pb"))
        return upload
