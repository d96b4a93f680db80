"""Stories: telling one, typing one in, a collection, checking, themes, proposals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from changemaker.core.fields import CHECKBOXES
from changemaker.core.models import Ward
from changemaker.listening.models import STORY_MAX, Story, Theme

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
