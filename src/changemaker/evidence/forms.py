"""Forms of the evidence capability (GOV.UK: labels, hints, an error by each field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from changemaker.core.fields import CHECKBOXES, DayField, welsh_field
from changemaker.core.registry import OutcomeSource
from changemaker.evidence.models import DESIGN_COLUMNS, Design, Pilot

MAX_DATA_BYTES = 20 * 1024 * 1024


def normalise_outcome_key(text: str) -> str:
    """ "Crisis referrals, per month" -> "crisis-referrals-per-month": one spelling for all."""
    return slugify(text)[:80].strip("-")


LABELS = {
    "title": _("Title"),
    "slug": _("Short name for the web address"),
    "problem": _("What problem does the pilot address?"),
    "affects": _("Who does it affect?"),
    "intervention": _("What does the pilot do?"),
    "place": _("Where does it run? (optional)"),
    "toc_inputs": _("Inputs: money, people and things it uses (optional)"),
    "toc_activities": _("Activities: what is done (optional)"),
    "toc_outputs": _("Outputs: what is delivered, and how much (optional)"),
    "toc_outcomes": _("Outcomes: the changes it should bring (optional)"),
    "toc_impact": _("Impact: the long-term difference (optional)"),
    "assumptions": _("Assumptions: what must hold for this to work (optional)"),
    "hypothesis": _("Hypothesis"),
    "primary_outcome": _("Primary outcome measure"),
    "primary_definition": _("How the primary outcome is defined and counted"),
    "primary_unit": _("Unit of the primary outcome"),
    "primary_timepoint": _("When the primary outcome is measured"),
    "outcome_key": _("Shared outcome key (optional)"),
    "secondary_outcome": _("Secondary outcome measure (optional)"),
    "secondary_definition": _("How the secondary outcome is defined (optional)"),
    "secondary_unit": _("Unit of the secondary outcome (optional)"),
    "secondary_timepoint": _("When the secondary outcome is measured (optional)"),
    "design": _("Design"),
    "comparison_group": _("Comparison group (optional)"),
    "cost": _("Cost in pounds"),
    "planned_clusters": _("Planned number of units (wards, schools, teams...)"),
    "planned_cluster_size": _("People in each unit, on average"),
    "planned_icc": _("Intra-cluster correlation"),
    "outcome_sd": _("Spread of the outcome (standard deviation)"),
    "expected_effect": _("Smallest effect worth finding"),
}
HELP = {
    "slug": _("Lower-case letters, numbers and hyphens, like text-reminders-2026"),
    "hypothesis": _("What you expect to change, by how much, and for whom"),
    "primary_outcome": _("The one measure the pilot is judged on, like Crisis referrals"),
    "primary_unit": _("How the effect reads after a number, like 'a month' or 'percentage points'"),
    "primary_timepoint": _("Like 'monthly, for 12 months after the start'"),
    "outcome_key": _(
        "The outcome and its unit in the words other councils use, like 'crisis referrals per "
        "month': pilots with the same key are pooled to show what works across places"
    ),
    "comparison_group": _("Who the pilot is compared with, like 'similar wards'"),
    "planned_clusters": _("All units, with and without the pilot, as they will be analysed"),
    "planned_icc": _("How alike people in the same unit are, from 0 to 1 (0.05 if unsure)"),
    "outcome_sd": _("In the outcome's unit, from past data"),
    "expected_effect": _("In the outcome's unit: the smallest change that would matter"),
}
REQUIRED = {
    "title": _("Enter a title"),
    "slug": _("Enter a short name"),
    "problem": _("Describe the problem"),
    "affects": _("Say who it affects"),
    "intervention": _("Describe what the pilot does"),
    "hypothesis": _("Enter the hypothesis"),
    "primary_outcome": _("Enter the primary outcome measure"),
    "primary_definition": _("Define the primary outcome"),
    "primary_unit": _("Enter the unit of the primary outcome"),
    "primary_timepoint": _("Say when the primary outcome is measured"),
    "design": _("Choose the design"),
    "cost": _("Enter the cost in pounds, or 0"),
    "planned_clusters": _("Enter the planned number of units"),
    "planned_cluster_size": _("Enter the people in each unit"),
    "planned_icc": _("Enter the intra-cluster correlation, or 0.05 if unsure"),
    "outcome_sd": _("Enter the spread of the outcome"),
    "expected_effect": _("Enter the smallest effect worth finding"),
}
TEXTAREAS = {
    "problem",
    "affects",
    "intervention",
    "toc_inputs",
    "toc_activities",
    "toc_outputs",
    "toc_outcomes",
    "toc_impact",
    "assumptions",
    "hypothesis",
    "primary_definition",
    "secondary_definition",
}


#: The public card's words, each followed by its Welsh (not part of the plan's versions).
WELSH_LABELS = {
    "title": _("Title in Welsh (optional)"),
    "problem": _("The problem, in Welsh (optional)"),
    "affects": _("Who it affects, in Welsh (optional)"),
    "intervention": _("What the pilot does, in Welsh (optional)"),
}


def _with_welsh(names: list[str]) -> list[str]:
    return [m for n in names for m in ((n, f"{n}_cy") if n in WELSH_LABELS else (n,))]


class PilotForm(forms.ModelForm[Pilot]):
    """A pilot's plan. After registration every change makes a new version. The public card's
    words have a Welsh companion each (changing it makes no new version)."""

    class Meta:
        model = Pilot
        fields = _with_welsh(["title", "slug", *[n for n in LABELS if n not in ("title", "slug")]])
        labels = LABELS
        help_texts = HELP
        widgets = {
            **{n: forms.Textarea(attrs={"rows": 3}) for n in TEXTAREAS},
            "design": forms.RadioSelect,
        }
        error_messages = {
            name: {"required": message, "invalid": _("Enter a number")}
            for name, message in REQUIRED.items()
        }

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]  # the address stays the same
        for name, label in WELSH_LABELS.items():
            self.fields[f"{name}_cy"] = welsh_field(
                label, max_length=150 if name == "title" else None, rows=0 if name == "title" else 3
            )
        # words in ("Crisis referrals per month"), normalised on clean
        self.fields["outcome_key"] = forms.CharField(
            label=LABELS["outcome_key"],
            help_text=HELP["outcome_key"],
            required=False,
            max_length=150,
        )
        for name in ("cost", "planned_clusters", "planned_cluster_size"):
            self.fields[name].widget.attrs.update({"class": "govuk-input--width-10"})
            self.fields[name].error_messages["min_value"] = _("Enter 0 or more")
        self.fields["planned_icc"].error_messages["min_value"] = _("Enter a number from 0 to 1")
        self.fields["planned_icc"].error_messages["max_value"] = _("Enter a number from 0 to 1")

    def clean_outcome_key(self) -> str:
        return normalise_outcome_key(self.cleaned_data.get("outcome_key", ""))

    def clean_outcome_sd(self) -> float:
        value = float(self.cleaned_data["outcome_sd"])
        if value <= 0:
            raise forms.ValidationError(_("Enter a spread above 0"))
        return value

    def clean_expected_effect(self) -> float:
        value = float(self.cleaned_data["expected_effect"])
        if value < 0:
            raise forms.ValidationError(_("Enter the size of the effect, 0 or more"))
        return value


COLUMN_LABELS = {
    "outcome": _("Column of the outcome"),
    "unit": _("Column naming the unit (like ward)"),
    "time": _("Column of the period (like month)"),
    "treated": _("Column that is 1 when a unit has the pilot, else 0"),
    "group": _("Column that is 1 for the pilot group, 0 for the comparison group"),
    "post": _("Column that is 1 after the start, 0 before"),
    "first_treated": _("Column of the period each unit started (0 if never)"),
    "arm": _("Column holding control or treatment"),
    "cluster": _("Column to cluster by (optional)"),
}


class DataForm(forms.Form):
    """An outcome-data CSV and which column is which for the pilot's design."""

    file = forms.FileField(
        label=_("Outcome data (CSV)"),
        help_text=_("A CSV file with a header row, one row per observation, smaller than 20 MB"),
        error_messages={"required": _("Choose a CSV file")},
    )

    def __init__(self, *args: Any, design: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needed = ("outcome", *DESIGN_COLUMNS[design])
        optional = (
            ("cluster",) if design in (Design.DID, Design.DID2X2, Design.BEFORE_AFTER) else ()
        )
        for role in (*needed, *optional):
            self.fields[role] = forms.CharField(
                label=COLUMN_LABELS[role],
                max_length=100,
                required=role in needed,
                error_messages={"required": _("Enter the name of the column")},
                widget=forms.TextInput(attrs={"spellcheck": "false"}),
            )
        self.roles = (*needed, *optional)

    def clean_file(self) -> Any:
        """Size and name only: the background job reads the file and names any bad line."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DATA_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 20 MB"))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The file must be a CSV file ending in .csv"))
        return upload

    def columns(self) -> dict[str, str]:
        return {r: self.cleaned_data[r].strip() for r in self.roles if self.cleaned_data.get(r)}


class SharedDataForm(forms.Form):
    """The outcome as counts by ward and month from the shared view of need (another
    capability's outcome source): which count, the period, and where and when the pilot
    started (for the design)."""

    source = forms.ChoiceField(
        label=_("Which count"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the count to use as the outcome")},
    )
    start = DayField(
        label=_("First month of the period"),
        help_text=_("Any day in the month, for example, 01/04/2025"),
        example="01/04/2025",
        error_messages={"required": _("Enter the first month of the period")},
    )
    end = DayField(
        label=_("Last month of the period"),
        help_text=_("Any day in the month, for example, 31/03/2026"),
        example="31/03/2026",
        error_messages={"required": _("Enter the last month of the period")},
    )
    treated = forms.MultipleChoiceField(
        label=_("Wards where the pilot runs"),
        help_text=_("The other wards are the comparison"),
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES,  # type: ignore[call-arg]
        error_messages={"required": _("Choose the wards where the pilot runs")},
    )
    starts = DayField(
        label=_("When the pilot started in those wards"),
        help_text=_("Counts from this month on are after the start, for example, 01/10/2025"),
        example="01/10/2025",
        error_messages={"required": _("Enter when the pilot started")},
    )

    def __init__(
        self,
        *args: Any,
        sources: list[OutcomeSource],
        wards: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)
        source.choices = [(s.key, s.label) for s in sources]
        treated = self.fields["treated"]
        assert isinstance(treated, forms.MultipleChoiceField)
        treated.choices = wards

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, starts = data.get("start"), data.get("end"), data.get("starts")
        if start and end and (end.year, end.month) <= (start.year, start.month):
            self.add_error("end", _("The last month must be after the first month"))
        elif (
            start
            and end
            and starts
            and not (start.year, start.month) < (starts.year, starts.month) <= (end.year, end.month)
        ):
            self.add_error(
                "starts",
                _(
                    "The start must fall after the first month of the period and by its "
                    "last month, so there are counts before and after it"
                ),
            )
        chosen = data.get("treated") or []
        if chosen and len(chosen) == len(self.fields["treated"].choices):  # type: ignore[attr-defined]
            self.add_error("treated", _("Leave at least one ward out as the comparison"))
        return data


LEVELS = [("", _("Keep the suggested level"))] + [(str(n), str(n)) for n in range(1, 6)]


class OverrideForm(forms.Form):
    """An evaluator's rating, with the reason."""

    sms = forms.TypedChoiceField(
        label=_("Maryland Scientific Methods Scale level"),
        choices=LEVELS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    nesta = forms.TypedChoiceField(
        label=_("Nesta Standards of Evidence level"),
        choices=LEVELS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label=_("Why this rating?"),
        help_text=_("Shown with the rating, like 'a third of the treatment group dropped out'"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Give the reason for the rating")},
    )


class LibraryForm(forms.Form):
    """Search and filter the practice library (a GET form: works without JavaScript)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    design = forms.ChoiceField(
        label=_("Design"), required=False, choices=[("", _("Any design")), *Design.choices]
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[
            ("", _("Any result")),
            ("fell", _("The outcome fell")),
            ("rose", _("The outcome rose")),
            ("unclear", _("No clear change (what didn't work)")),
        ],
    )
    min_sms = forms.TypedChoiceField(
        label=_("Strength of evidence"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any")),
            ("2", _("Maryland 2 or above")),
            ("3", _("Maryland 3 or above")),
            ("4", _("Maryland 4 or above")),
            ("5", _("Maryland 5")),
        ],
    )


class SubscriptionForm(forms.Form):
    """Another council's feed address and public key (both from its key page)."""

    url = forms.URLField(
        label=_("Feed address"),
        help_text=_("From the other council's key page: it ends in /evidence/feed.json"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": _("Enter the feed address"),
            "invalid": _("Enter a web address starting with https:// or http://"),
        },
    )
    public_key = forms.CharField(
        label=_("Public key"),
        help_text=_("44 characters ending in =, from the same page"),
        max_length=64,
        error_messages={"required": _("Enter the public key")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"])
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter a web address starting with https:// or http://"))
        return url

    def clean_public_key(self) -> str:
        from changemaker.evidence.signing import parse_public_key

        key = self.cleaned_data["public_key"].strip()
        if parse_public_key(key) is None:
            raise forms.ValidationError(
                _("Enter the public key exactly as the key page shows it: 44 characters")
            )
        return key
