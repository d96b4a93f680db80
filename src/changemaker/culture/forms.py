"""Forms of the culture survey, GOV.UK style (core's renderer draws them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from changemaker.core.fields import CHECKBOXES, WELSH_HINT, csv_text, welsh_field
from changemaker.core.templatetags.bilingual import bilingual
from changemaker.culture.models import LOWEST_MIN_GROUP, Instrument, Survey, SurveyItem, Wave
from changemaker.culture.selectors import ANSWERS, scale_label
from changemaker.culture.welsh import option_label, option_pairs

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PREFER_NOT_TO_SAY = ""


class SurveyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the survey"),
        max_length=120,
        help_text=_("For example, Staff survey"),
        error_messages={"required": _("Enter a name for the survey")},
    )
    name_cy = welsh_field(_("Name of the survey in Welsh (optional)"), max_length=120)
    instrument = forms.ChoiceField(
        label=_("Questions"),
        choices=Instrument.choices,
        initial=Instrument.STAFF,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the questions")},
    )


class ItemChoiceForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Statements the next wave asks"),
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES,  # type: ignore[call-arg]
        error_messages={"required": _("Choose at least one statement")},
    )

    def __init__(self, *args: Any, items: list[SurveyItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(it.code, it.text) for it in items]
        field.initial = [it.code for it in items if it.chosen]


class ItemForm(forms.Form):
    scale = forms.ChoiceField(
        label=_("Norm"), error_messages={"required": _("Choose the norm it measures")}
    )
    text = forms.CharField(
        label=_("Statement"),
        max_length=300,
        help_text=_("A statement people agree or disagree with, like: I can try new ideas"),
        error_messages={"required": _("Enter the statement")},
    )
    text_cy = forms.CharField(
        label=_("The statement in Welsh (optional)"),
        max_length=300,
        required=False,
        help_text=_("People who answer in Welsh see it; without it they see the English"),
    )
    reverse = forms.BooleanField(
        label=_("Agreeing is negative (reverse-keyed)"),
        required=False,
        help_text=_("For example: Too many of my decisions need a manager's sign-off"),
    )

    def __init__(self, *args: Any, scales: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scale"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a norm")), *((s, scale_label(s)) for s in scales)]


def _options_cy_field() -> forms.CharField:
    """The answers to the characteristic question in Welsh: one a line, in the English order."""
    return forms.CharField(
        label=_("Answers to the characteristic question in Welsh (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "cy", "spellcheck": "true"}),
        help_text=format_lazy(
            "{} {}", _("One a line, in the same order as the English."), WELSH_HINT
        ),
    )


def _clean_options_cy(form: forms.BaseForm, options: list[str]) -> list[str]:
    """The Welsh answers, one for each English answer, or none at all (not translated yet)."""
    lines = str(form.cleaned_data.get("options_cy") or "").splitlines()
    welsh = [line.strip()[:80] for line in lines if line.strip()]
    if welsh and len(welsh) != len(options):
        form.add_error(
            "options_cy",
            _(
                "Give one Welsh answer for each of the %(n)s answers, in the same order, or "
                "leave this blank"
            )
            % {"n": len(options)},
        )
    return welsh


class WaveForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Answers to the characteristic question, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone may also choose Prefer not to say"),
    )
    name_cy = welsh_field(_("Name of the wave in Welsh (optional)"), max_length=60)
    characteristic_cy = welsh_field(_("Characteristic question in Welsh (optional)"), max_length=80)
    options_cy = _options_cy_field()
    comment_question_cy = welsh_field(_("Comment question in Welsh (optional)"), max_length=200)
    field_order = [
        "name",
        "name_cy",
        "min_group",
        "characteristic",
        "characteristic_cy",
        "options",
        "options_cy",
        "comment_question",
        "comment_question_cy",
    ]

    class Meta:
        model = Wave
        fields = [
            "name",
            "name_cy",
            "min_group",
            "characteristic",
            "characteristic_cy",
            "comment_question",
            "comment_question_cy",
        ]
        labels = {
            "name": _("Name of the wave"),
            "min_group": _("Minimum reporting group"),
            "characteristic": _("Characteristic question (optional)"),
            "comment_question": _("Comment question (optional)"),
        }
        help_texts = {
            "name": _("For example, Spring 2026"),
            "min_group": _(
                "Results of fewer people than this are never shown. At least 5; 10 is usual."
            ),
            "characteristic": _("One question to break results down by, like: What is your grade?"),
            "comment_question": _(
                "A question people may answer in their own words, like: Is there anything else "
                "you want to tell us? Comments are shown for the whole organisation only, and "
                "those with words that look like names only after you have read them."
            ),
        }
        error_messages = {
            "name": {"required": _("Enter a name for the wave")},
            "min_group": {
                "required": _("Enter the minimum reporting group"),
                "invalid": _("Enter the minimum reporting group as a whole number, like 10"),
                "min_value": _("The minimum reporting group must be 5 or more"),
            },
        }

    def clean_options(self) -> list[str]:
        lines = str(self.cleaned_data.get("options") or "").splitlines()
        options = list(dict.fromkeys(line.strip()[:80] for line in lines if line.strip()))
        return options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("characteristic") and len(data.get("options") or []) < 2:
            self.add_error("options", _("Give at least two answers to the question"))
        data["options_cy"] = _clean_options_cy(self, data.get("options") or [])
        if (data.get("min_group") or LOWEST_MIN_GROUP) < LOWEST_MIN_GROUP:
            self.add_error("min_group", _("The minimum reporting group must be 5 or more"))
        return data


class WaveWelshForm(forms.Form):
    """The Welsh of what people taking part read: the survey's and the wave's names and the
    wave's questions (each field only when the English is there to translate)."""

    survey_name_cy = welsh_field(_("Name of the survey in Welsh (optional)"), max_length=120)
    name_cy = welsh_field(_("Name of the wave in Welsh (optional)"), max_length=60)
    characteristic_cy = welsh_field(_("Characteristic question in Welsh (optional)"), max_length=80)
    options_cy = _options_cy_field()
    comment_question_cy = welsh_field(_("Comment question in Welsh (optional)"), max_length=200)

    def __init__(self, data: Any = None, *, wave: Wave) -> None:
        survey: Survey = wave.survey
        initial = {
            "survey_name_cy": survey.name_cy,
            "name_cy": wave.name_cy,
            "characteristic_cy": wave.characteristic_cy,
            "options_cy": "\n".join(wave.characteristic_options_cy or []),
            "comment_question_cy": wave.comment_question_cy,
        }
        super().__init__(data, initial=initial)
        self.wave = wave
        if not wave.characteristic:
            del self.fields["characteristic_cy"], self.fields["options_cy"]
        if not wave.comment_question:
            del self.fields["comment_question_cy"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "options_cy" in self.fields:
            data["options_cy"] = _clean_options_cy(self, list(self.wave.characteristic_options))
        return data

    def welsh(self) -> dict[str, Any]:
        """What the translate action takes: every Welsh companion (blank where not asked)."""
        data = self.cleaned_data
        return {
            "survey_name_cy": data["survey_name_cy"],
            "name_cy": data["name_cy"],
            "characteristic_cy": data.get("characteristic_cy", ""),
            "options_cy": data.get("options_cy", []),
            "comment_question_cy": data.get("comment_question_cy", ""),
        }


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), error_messages={"required": _("Choose a CSV file")})

    def __init__(self, *args: Any, label: Any, help_text: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.fields["file"].help_text = help_text

    def clean_file(self) -> str:
        return csv_text(
            self.cleaned_data["file"],
            max_bytes=MAX_UPLOAD_BYTES,
            too_big=_("The file must be smaller than 20 MB"),
        )


class AnswersForm(forms.Form):
    """One page of the survey: the statements of one norm, each optional."""

    def __init__(self, *args: Any, items: list[SurveyItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[item.code] = forms.ChoiceField(
                label=bilingual(item, "text"),
                choices=ANSWERS,
                required=False,
                widget=forms.RadioSelect,
            )


class CharacteristicForm(forms.Form):
    characteristic = forms.ChoiceField(required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, wave: Wave, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["characteristic"]
        assert isinstance(field, forms.ChoiceField)
        field.label = bilingual(wave, "characteristic")
        field.choices = [
            *((p["option"], option_label(wave, p["option"])) for p in option_pairs(wave)),
            (PREFER_NOT_TO_SAY, _("Prefer not to say")),
        ]


MAX_COMMENT = 2000


class CommentForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Optional. Do not name anyone, yourself included, or say anything that would show "
            "who you or someone else is. The survey team reads comments before leaders see "
            "them, for the whole organisation only."
        ),
        error_messages={
            "max_length": _("Your comment must be %(limit_value)s characters or fewer"),
        },
    )

    def __init__(self, *args: Any, wave: Wave, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = bilingual(wave, "comment_question")


class CommentReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Show this comment?"),
        choices=[
            ("show", _("Yes, show it: it names nobody")),
            ("withhold", _("No, do not show it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to show the comment")},
    )


class UnitActionForm(forms.Form):
    description = forms.CharField(
        label=_("What will your team do?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not name anyone."),
        error_messages={"required": _("Say what your team will do")},
    )
    practice = forms.ChoiceField(
        label=_("A practice that works (optional)"),
        required=False,
        help_text=_("From the practice library: what other teams and councils found works"),
        error_messages={"invalid_choice": _("Choose a practice from the list")},
    )

    def __init__(self, *args: Any, practices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.titles = {url: title for title, url in practices}
        field = self.fields["practice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None")), *((url, title) for title, url in practices)]
        if not practices:  # no practice library installed, or nothing published yet
            del self.fields["practice"]
