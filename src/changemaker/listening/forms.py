"""Listening's forms: GOV.UK radios, questions as labels, errors that say what to do; a
resident's story (no name, no contact), one typed in by staff, a collection, checking a story,
a theme and what it becomes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from changemaker.core.fields import CHECKBOXES, DayField, csv_text
from changemaker.core.models import Council, Ward
from changemaker.core.models.commitments import Commitment
from changemaker.core.notices import describe_subject
from changemaker.core.validators import CleanDocument, checked_document
from changemaker.listening.models import STORY_MAX, Criterion, HowChoices, Report, Story, Theme

HOW_ERROR = _("Choose how you want to hear")


def _how_field(label: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=HowChoices.choices,
        widget=forms.RadioSelect,
        error_messages={"required": HOW_ERROR, "invalid_choice": HOW_ERROR},
        **kwargs,
    )


class FollowForm(forms.Form):
    """What the Follow button posts (hidden fields): the subject and where to go back."""

    subject = forms.CharField(max_length=120, widget=forms.HiddenInput)
    next = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)


class HowForm(forms.Form):
    how = _how_field(_("How do you want to hear about this?"))


class WardForm(forms.Form):
    ward = forms.ChoiceField(
        label=_("Which ward do you want to follow?"),
        help_text=_("You will hear about ideas, budgets and plans for this area."),
        error_messages={
            "required": _("Choose a ward"),
            "invalid_choice": _("Choose a ward from the list"),
        },
    )

    def __init__(self, *args: Any, wards: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ward"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a ward")), *wards]


class PreferencesForm(forms.Form):
    emails = forms.ChoiceField(
        label=_("Do you want emails from us about what you follow and your own things?"),
        choices=[("yes", _("Yes")), ("no", _("No, only show them when I sign in"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no")},
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind, label in kinds:
            self.fields[self.field_name(kind)] = _how_field(label)

    @staticmethod
    def field_name(kind: str) -> str:
        return "kind_" + kind.replace(".", "__")

    def own(self) -> dict[str, str]:
        return {kind: self.cleaned_data[self.field_name(kind)] for kind, _label in self.kinds}


# Open self-evaluation -------------------------------------------------------------------------

SCALE = [
    ("1", _("1 – very poor")),
    ("2", _("2 – poor")),
    ("3", _("3 – neither good nor poor")),
    ("4", _("4 – good")),
    ("5", _("5 – very good")),
]
COMMENT_MAX = 1000


class ScorecardForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("For example, How we did in 2025 to 2026"),
        error_messages={"required": _("Enter a title")},
    )
    title_cy = forms.CharField(label=_("Title in Welsh (optional)"), max_length=150, required=False)
    period = forms.CharField(
        label=_("Period it covers"),
        max_length=80,
        help_text=_("For example, April 2025 to March 2026"),
        error_messages={"required": _("Enter the period it covers")},
    )
    start = forms.ChoiceField(
        label=_("How do you want to start?"),
        choices=[
            ("lga", _("With the LGA's resident satisfaction questions")),
            ("blank", _("With a blank sheet: add your own criteria")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to start")},
    )


class CriterionForm(forms.ModelForm):
    """A criterion: its words (in a draft only), the council's rating, evidence, figure and
    reply."""

    class Meta:
        model = Criterion
        fields = [
            "text",
            "text_cy",
            "council_rating",
            "evidence",
            "evidence_cy",
            "figure",
            "reply",
            "reply_cy",
        ]
        labels = {
            "text": _("Criterion"),
            "text_cy": _("Criterion in Welsh (optional)"),
            "council_rating": _("The council's own rating"),
            "evidence": _("The council's evidence"),
            "evidence_cy": _("The council's evidence in Welsh (optional)"),
            "figure": _("A live figure to show beside the evidence (optional)"),
            "reply": _("The council's reply to residents"),
            "reply_cy": _("The council's reply in Welsh (optional)"),
        }
        help_texts = {
            "text": _("What residents rate, for example ‘The council keeps residents informed’"),
            "reply": _(
                "Published beside the residents' view. You can write it after ratings close."
            ),
        }
        error_messages = {"text": {"required": _("Enter the criterion")}}
        widgets = {
            "council_rating": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 5}),
            "evidence_cy": forms.Textarea(attrs={"rows": 5}),
            "reply": forms.Textarea(attrs={"rows": 5}),
            "reply_cy": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(
        self, *args: Any, figures: list[tuple[str, str]], words_fixed: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        rating = self.fields["council_rating"]
        assert isinstance(rating, forms.TypedChoiceField)
        rating.choices = SCALE
        figure = self.fields["figure"]
        self.fields["figure"] = forms.ChoiceField(
            label=figure.label,
            required=False,
            choices=[("", _("No figure")), *figures],
            error_messages={"invalid_choice": _("Choose a figure from the list")},
        )
        for name in ("text", "text_cy"):
            self.fields[name].disabled = words_fixed
            if words_fixed:
                self.fields[name].help_text = _("Residents have rated these words: they are fixed.")


class RatingForm(forms.Form):
    """One radio question (1-5) and an optional comment per criterion."""

    def __init__(self, *args: Any, criteria: list[tuple[Criterion, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = [c for c, _words in criteria]
        for criterion, words in criteria:
            self.fields[f"rating_{criterion.pk}"] = forms.ChoiceField(
                label=words,
                choices=SCALE,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose a rating from 1 to 5")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Your comment on this (optional)"),
                max_length=COMMENT_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _("Your comment must be %(limit_value)s characters or fewer")
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for c in self.criteria:
            if data.get(f"comment_{c.pk}", "").strip() and not data.get(f"rating_{c.pk}"):
                self.add_error(
                    f"rating_{c.pk}", _("Choose a rating for this, or take your comment out")
                )
        if not self.errors and not any(data.get(f"rating_{c.pk}") for c in self.criteria):
            self.add_error(
                f"rating_{self.criteria[0].pk}", _("Rate at least one thing before you send")
            )
        return data

    def given(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            c.pk: (
                int(data[f"rating_{c.pk}"]) if data.get(f"rating_{c.pk}") else None,
                data.get(f"comment_{c.pk}", ""),
            )
            for c in self.criteria
        }


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Show this comment?"),
        choices=[("show", _("Yes, show it")), ("hide", _("No, hide it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to show or hide this comment")},
    )
    reason = forms.ChoiceField(
        label=_("Why are you hiding it?"),
        help_text=_("Only if you hide it. The rating still counts; the reason is kept."),
        choices=[],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a reason from the list")},
    )

    def __init__(self, *args: Any, reasons: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = list(reasons.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "hide" and not data.get("reason"):
            self.add_error("reason", _("Choose why you are hiding this comment"))
        return data


# We asked, you said, we did -----------------------------------------------------------------


class DraftForm(forms.Form):
    """The "Draft the page" button: which closed process (a hidden field)."""

    source = forms.CharField(max_length=120, widget=forms.HiddenInput)


class ReportForm(forms.ModelForm):
    """Every part of the page, each with its Welsh companion (optional: the English shows,
    marked as English, until it is written)."""

    class Meta:
        model = Report
        fields = [
            "title",
            "title_cy",
            "we_asked",
            "we_asked_cy",
            "you_said",
            "you_said_cy",
            "we_did",
            "we_did_cy",
            "decisions",
            "decisions_cy",
        ]
        labels = {
            "title": _("Title"),
            "title_cy": _("Title in Welsh (optional)"),
            "we_asked": _("We asked"),
            "we_asked_cy": _("We asked, in Welsh (optional)"),
            "you_said": _("You said"),
            "you_said_cy": _("You said, in Welsh (optional)"),
            "we_did": _("We did"),
            "we_did_cy": _("We did, in Welsh (optional)"),
            "decisions": _("Decisions taken"),
            "decisions_cy": _("Decisions taken, in Welsh (optional)"),
        }
        help_texts = {
            "we_asked": _("The question people were asked, in plain words"),
            "you_said": _(
                "What people told us. Drafted from the results: check it reads well. Start a "
                "line with a dash to make a list."
            ),
            "we_did": _(
                "What the council did because of it, with dates: for example, what the "
                "cabinet agreed and when work starts. You must write this before publishing."
            ),
            "decisions": _(
                "The formal decisions, with who took them and when, and where to read them "
                "(optional)"
            ),
        }
        error_messages = {
            "title": {"required": _("Enter a title")},
            "we_asked": {"required": _("Enter what we asked")},
            "you_said": {"required": _("Enter what people said")},
        }
        widgets = {
            "we_asked": forms.Textarea(attrs={"rows": 5}),
            "we_asked_cy": forms.Textarea(attrs={"rows": 5}),
            "you_said": forms.Textarea(attrs={"rows": 10}),
            "you_said_cy": forms.Textarea(attrs={"rows": 10}),
            "we_did": forms.Textarea(attrs={"rows": 8}),
            "we_did_cy": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
            "decisions_cy": forms.Textarea(attrs={"rows": 5}),
        }


class RedraftForm(forms.Form):
    replace = forms.ChoiceField(
        label=_("What should the new draft change?"),
        choices=[
            (
                "keep",
                _("Only the figures and the parts you have not changed (your changes are kept)"),
            ),
            (
                "replace",
                _(
                    "Replace the title, ‘We asked’ and ‘You said’ with the new draft (your "
                    "changes to them are lost)"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        help_text=_("‘We did’, the decisions and the Welsh are never changed by a draft."),
        error_messages={"required": _("Choose what the new draft should change")},
    )


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Everything")), *kinds]


# Commitments (officers' pages, and the public list's filters) ------------------------------

MAX_CSV_BYTES = 2 * 1024 * 1024
WELSH = _("%(what)s in Welsh (optional)")


class CommitmentForm(forms.ModelForm[Commitment]):
    """Add or change a commitment (its status and progress change through updates)."""

    source_choice = forms.ChoiceField(
        label=_("Where it came from"),
        required=False,
        help_text=_("Choose from the list, or type its key below"),
    )
    source_key = forms.CharField(
        label=_("Or type where it came from"),
        required=False,
        max_length=120,
        help_text=_("A key like ward:3, shown on the page of the thing it came from"),
    )
    due = DayField(label=_("Due by (optional)"), required=False)

    class Meta:
        model = Commitment
        fields = [
            "title",
            "title_cy",
            "description",
            "description_cy",
            "parent",
            "weight",
            "owner",
            "ward",
            "due",
            "published",
        ]
        labels = {
            "title": _("What will the council do?"),
            "title_cy": WELSH % {"what": _("What the council will do")},
            "description": _("More detail (optional)"),
            "description_cy": WELSH % {"what": _("More detail")},
            "parent": _("Part of a bigger commitment (optional)"),
            "weight": _("Weight"),
            "owner": _("Team responsible (optional)"),
            "ward": _("Ward (optional)"),
            "published": _("Show it to the public"),
        }
        error_messages = {
            "title": {"required": _("Say what the council will do")},
            "weight": {
                "invalid": _("Enter the weight as a whole number from 1 to 1000"),
                "min_value": _("Enter the weight as a whole number from 1 to 1000"),
                "max_value": _("Enter the weight as a whole number from 1 to 1000"),
            },
        }

    def __init__(
        self,
        *args: Any,
        council: Council,
        sources: list[tuple[str, str]],
        parents: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["ward"].queryset = Ward.objects.filter(council=council)  # type: ignore[attr-defined]
        choice = self.fields["source_choice"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", _("The council's own")), *sources]
        current = self.instance.source
        if current in dict(sources):
            self.initial["source_choice"] = current
        elif current:
            self.initial["source_key"] = current

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = str(data.get("source_key") or "").strip()
        source = typed or str(data.get("source_choice") or "")
        if typed and describe_subject(self.council, typed) is None:
            self.add_error(
                "source_key",
                _(
                    "There is nothing public with the key %(key)s here. Copy the key from its "
                    "page, or choose from the list."
                )
                % {"key": typed[:60]},
            )
        self.instance.source = source
        return data


class UpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Leave it as it is")), *Commitment.Status.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    progress = forms.IntegerField(
        label=_("Progress (%) (optional)"),
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "invalid": _("Enter progress as a whole number from 0 to 100"),
            "min_value": _("Enter progress as a whole number from 0 to 100"),
            "max_value": _("Enter progress as a whole number from 0 to 100"),
        },
    )
    text = forms.CharField(
        label=_("What has happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what has happened")},
    )
    text_cy = forms.CharField(
        label=WELSH % {"what": _("What has happened")},
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label=_("Milestone"), max_length=200, error_messages={"required": _("Name the milestone")}
    )
    title_cy = forms.CharField(
        label=WELSH % {"what": _("Milestone")}, max_length=200, required=False
    )
    due = DayField(label=_("Due by"), error_messages={"required": _("Enter the date it is due")})


class MilestoneDoneForm(forms.Form):
    done_on = DayField(
        label=_("Done on"), error_messages={"required": _("Enter the date it was done")}
    )


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Document"),
        help_text=_("A PDF, ODT or Word document, or a PNG or JPEG picture, smaller than 10 MB"),
        error_messages={"required": _("Choose a document")},
    )
    name = forms.CharField(
        label=_("Title of the document"),
        max_length=200,
        help_text=_("Shown as the link, like Cabinet report, 12 March 2027"),
        error_messages={"required": _("Give the document a title")},
    )

    def clean_document(self) -> CleanDocument:
        return checked_document(self.cleaned_data["document"])


class CommitmentsFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of commitments"),
        help_text=_("The columns are described on this page. At most 2 MB."),
        error_messages={"required": _("Choose a CSV file")},
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        self.filename = upload.name
        return csv_text(
            upload, max_bytes=MAX_CSV_BYTES, too_big=_("The file must be smaller than 2 MB")
        )


class CommitmentFilterForm(forms.Form):
    """The public list's filters (a GET form: no JavaScript)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    ward = forms.TypedChoiceField(label=_("Ward"), required=False, coerce=int, empty_value=None)
    origin = forms.ChoiceField(label=_("Where it came from"), required=False)

    def __init__(
        self,
        *args: Any,
        wards: list[tuple[int, str]],
        origins: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["status"].choices = [*anything, *Commitment.Status.choices]  # type: ignore[attr-defined]
        self.fields["ward"].choices = [*anything, *wards]  # type: ignore[attr-defined]
        self.fields["origin"].choices = [*anything, *origins]  # type: ignore[attr-defined]


# Stories ------------------------------------------------------------------------------------


def _ward_choices(wards: Iterable[Ward]) -> list[tuple[str, Any]]:
    return [("", _("I'd rather not say")), *((str(w.pk), w.name) for w in wards)]


class StoryForm(forms.Form):
    """A resident's story. Nothing asks who they are: no name, no email, no phone."""

    what_works = forms.CharField(
        label=_("What works well where you live?"),
        help_text=_(
            "A place, a group, a service or people: anything that makes your area better. "
            "Please do not include your name or anyone else's."
        ),
        max_length=STORY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Tell us what works well where you live"),
            "max_length": _("What works well must be %(limit_value)s characters or fewer"),
        },
    )
    what_would_help = forms.CharField(
        label=_("What would make it better? (optional)"),
        max_length=STORY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _("What would make it better must be %(limit_value)s characters or fewer")
        },
    )
    ward = forms.ChoiceField(
        label=_("Which area is your story about? (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose an area from the list")},
    )
    consent = forms.BooleanField(
        label=_("You may quote my story in public, without my name"),
        help_text=_(
            "For example on the council's website or beside an idea it leads to. Leave this "
            "unticked and only council staff will read it."
        ),
        required=False,
    )

    def __init__(self, *args: Any, wards: Iterable[Ward], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wards = {str(w.pk): w for w in wards}
        field = self.fields["ward"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _ward_choices(self.wards.values())

    def chosen_ward(self) -> Ward | None:
        return self.wards.get(self.cleaned_data.get("ward") or "")


class EnteredStoryForm(StoryForm):
    """A story told on paper or by phone, typed in by an officer."""

    channel = forms.ChoiceField(
        label=_("How was the story told?"),
        choices=[(Story.Channel.PAPER, _("On paper")), (Story.Channel.PHONE, _("By phone"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the story came on paper or by phone"),
            "invalid_choice": _("Choose whether the story came on paper or by phone"),
        },
    )
    field_order = ["channel", "what_works", "what_would_help", "ward", "consent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _("The person agreed their story may be quoted in public")
        self.fields["consent"].help_text = _("Only if they said so, on the form or on the phone.")
        self.fields["what_works"].help_text = _(
            "Type it as told. Leave out names, addresses and phone numbers."
        )


class CollectionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        error_messages={"required": _("Enter a title")},
    )
    title_cy = forms.CharField(label=_("Title in Welsh (optional)"), max_length=150, required=False)
    slug = forms.SlugField(
        label=_("Web address"),
        help_text=_("Lower-case letters, numbers and hyphens, for example ‘where-you-live’"),
        max_length=60,
        error_messages={
            "required": _("Enter a web address"),
            "invalid": _("Use only lower-case letters, numbers and hyphens in the web address"),
        },
    )
    question = forms.CharField(
        label=_("Question"),
        max_length=300,
        initial=_(
            "Tell us about something that works well where you live, and what would make it better"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the question residents answer")},
    )
    question_cy = forms.CharField(
        label=_("Question in Welsh (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StoryCheckForm(forms.Form):
    status = forms.ChoiceField(
        label=_("May it be quoted in public if its teller agreed?"),
        choices=[
            (Story.Status.READ, _("Yes, it names no one and can be quoted")),
            (Story.Status.HIDDEN, _("No, never quote it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it may be quoted")},
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes it tells of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES,  # type: ignore[call-arg]
        error_messages={"invalid_choice": _("Choose themes from the list")},
    )

    def __init__(self, *args: Any, themes: Iterable[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme_objects = {str(t.pk): t for t in themes}
        field = self.fields["themes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(k, t.name) for k, t in self.theme_objects.items()]

    def chosen_themes(self) -> list[Theme]:
        return [self.theme_objects[k] for k in self.cleaned_data.get("themes", [])]


class ThemeForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the theme"),
        max_length=120,
        error_messages={"required": _("Enter a name for the theme")},
    )
    name_cy = forms.CharField(
        label=_("Name of the theme in Welsh (optional)"), max_length=120, required=False
    )
    description = forms.CharField(
        label=_("What the stories say (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_cy = forms.CharField(
        label=_("What the stories say in Welsh (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposalForm(forms.Form):
    where = forms.ChoiceField(
        label=_("What should this theme become, and where?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the theme should become"),
            "invalid_choice": _("Choose what the theme should become"),
        },
    )
    title = forms.CharField(
        label=_("Title, or the statement people will vote on"),
        help_text=_("One sentence. It is published, so name no one."),
        max_length=150,
        error_messages={"required": _("Enter a title")},
    )
    text = forms.CharField(
        label=_("Description (for a budget idea)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["where"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (value, _("%(what)s in ‘%(where)s’") % {"what": what.capitalize(), "where": where})
            for value, what, where in choices
        ]

    def target(self) -> tuple[str, str]:
        sink, _bar, target = self.cleaned_data["where"].partition("|")
        return sink, target
