"""The open self-evaluation: a scorecard, a criterion, residents' ratings, moderation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from changemaker.listening.models import Criterion

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
