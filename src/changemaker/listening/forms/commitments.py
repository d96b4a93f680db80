"""Commitments: a commitment, an update, milestones, documents, the CSV file, the public filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from changemaker.core.fields import DayField, csv_text, lazy_percent
from changemaker.core.models import Council, Ward
from changemaker.core.models.commitments import Commitment
from changemaker.core.notices import describe_subject
from changemaker.core.validators import CleanDocument, checked_document

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
            "title_cy": lazy_percent(WELSH, {"what": _("What the council will do")}),
            "description": _("More detail (optional)"),
            "description_cy": lazy_percent(WELSH, {"what": _("More detail")}),
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
        self.fields["parent"].empty_label = _("None: it stands on its own")  # type: ignore[attr-defined]
        self.fields["ward"].queryset = Ward.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["ward"].empty_label = _("The whole council area")  # type: ignore[attr-defined]
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
        label=lazy_percent(WELSH, {"what": _("What has happened")}),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label=_("Milestone"), max_length=200, error_messages={"required": _("Name the milestone")}
    )
    title_cy = forms.CharField(
        label=lazy_percent(WELSH, {"what": _("Milestone")}), max_length=200, required=False
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
        anything = [("", pgettext("a filter left open", "Any"))]
        self.fields["status"].choices = [*anything, *Commitment.Status.choices]  # type: ignore[attr-defined]
        self.fields["ward"].choices = [*anything, *wards]  # type: ignore[attr-defined]
        self.fields["origin"].choices = [*anything, *origins]  # type: ignore[attr-defined]
