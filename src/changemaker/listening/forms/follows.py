"""Follow and notify: how you hear, following a ward, your choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from changemaker.listening.models import HowChoices

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
