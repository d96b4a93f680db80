"""'We asked, you said, we did': drafting, a page's parts, drafting again, the kind filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from changemaker.listening.models import Report

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
