"""GOV.UK-style forms for the people side of the shared view of need (purpose, search, flag
review, indicators, export, access log). Labels are questions; errors say what to do."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from changemaker.core.fields import CHECKBOXES, normalise_postcode, parse_day
from changemaker.core.models import Council
from changemaker.insight.access import available_purposes
from changemaker.insight.models import PERSON_FIELDS, Dataset, FlagReview, Indicator, Purpose

PERSON_ID = re.compile(r"^P[0-9A-Z]{1,11}$")
HOUSEHOLD_ID = re.compile(r"^H[0-9A-Z]{1,11}$")


class PurposeForm(forms.Form):
    purpose = forms.ModelChoiceField(
        label=_("Why do you need to see people's records?"),
        help_text=_(
            "You will see only the records that the data-sharing agreements allow for this "
            "purpose. Everything you look at is recorded with it."
        ),
        queryset=Purpose.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Select why you need to see people's records")},
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["purpose"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = available_purposes(council)


class SearchForm(forms.Form):
    person_id = forms.CharField(
        label=_("Person reference"),
        help_text=_("For example, P00000012"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    surname = forms.CharField(
        label=_("Surname"), required=False, max_length=200, widget=forms.TextInput()
    )
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        help_text=_("With the surname. For example, 27/03/2007"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("Or search by postcode alone"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )

    def clean_person_id(self) -> str:
        value = self.cleaned_data["person_id"].strip().upper()
        if value and not PERSON_ID.match(value):
            raise forms.ValidationError(_("Enter a person reference like P00000012"))
        return value

    def clean_date_of_birth(self) -> date | None:
        raw = self.cleaned_data["date_of_birth"].strip()
        if not raw:
            return None
        day = parse_day(raw)
        if day is None:
            raise forms.ValidationError(_("Enter a real date of birth, like 27/03/2007"))
        return day

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if not raw:
            return ""
        postcode = normalise_postcode(raw)
        if postcode is None:
            raise forms.ValidationError(_("Enter a real postcode, like EX1 1AA"))
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        has_name = bool(data.get("surname", "").strip())
        has_dob = data.get("date_of_birth") is not None
        if has_name != has_dob:
            field = "date_of_birth" if has_name else "surname"
            self.add_error(field, _("Enter both the surname and the date of birth"))
        elif not (data.get("person_id") or has_name or data.get("postcode")):
            self.add_error(
                "person_id",
                _("Enter a person reference, a surname and date of birth, or a postcode"),
            )
        return data


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What is the outcome of your review?"),
        choices=FlagReview.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the outcome of your review")},
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("What you found and did. Do not include more personal detail than needed."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    records = forms.MultipleChoiceField(
        label=_("If the records are wrongly linked: which two records are not the same person?"),
        help_text=_("Only for 'Records wrongly linked'. Select exactly two."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, records: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["records"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(pk), label) for pk, label in records]
        field.template_name = CHECKBOXES  # type: ignore[attr-defined]
        if len(records) < 2:
            del self.fields["records"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == FlagReview.Outcome.FALSE_LINK:
            chosen = data.get("records") or []
            if "records" not in self.fields:
                self.add_error("outcome", _("There are not two records here to separate"))
            elif len(chosen) != 2:
                self.add_error(
                    "records", _("Select exactly two records that are not the same person")
                )
            if not (data.get("note") or "").strip():
                self.add_error("note", _("Say why the records are not the same person"))
            elif len(data["note"]) > 500:
                self.add_error("note", _("Keep the reason to 500 characters or fewer"))
            data["records"] = [int(pk) for pk in chosen]
        else:
            data["records"] = []
        return data


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Which file format do you need?"),
        choices=[("csv", _("CSV (opens in a spreadsheet)")), ("json", _("JSON"))],
        widget=forms.RadioSelect,
        initial="csv",
        error_messages={"required": _("Select a file format")},
    )


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "description",
            "kind",
            "dataset",
            "field",
            "comparison",
            "threshold",
            "level",
        ]
        labels = {
            "kind": _("What does it count?"),
            "dataset": _("Dataset"),
            "field": _("Field"),
            "comparison": _("Comparison"),
            "threshold": _("Threshold"),
            "level": _("Flag a person or a household?"),
        }
        help_texts = {
            "dataset": _("For a value in one dataset"),
            "field": _("A kept column or person field of the dataset, e.g. arrears_amount"),
            "threshold": _("A number, e.g. 500 or 8 or 90. For services: how many services"),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "level": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "threshold": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        }
        error_messages = {
            "name": {"required": _("Enter a name for the indicator")},
            "threshold": {
                "required": _("Enter a threshold"),
                "invalid": _("Enter the threshold as a number, like 500 or 8.5"),
            },
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        dataset = self.fields["dataset"]
        assert isinstance(dataset, forms.ModelChoiceField)
        dataset.queryset = Dataset.objects.filter(council=council)
        dataset.required = False
        dataset.empty_label = str(_("None (number of services)"))

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Indicator.objects.filter(council=self.council, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("There is already an indicator with this name"))
        return name

    def clean_threshold(self) -> Decimal:
        value: Decimal = self.cleaned_data["threshold"]
        if not value.is_finite():
            raise forms.ValidationError(_("Enter the threshold as a number, like 500 or 8.5"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        dataset: Dataset | None = data.get("dataset")
        field_name = (data.get("field") or "").strip()
        data["field"] = field_name
        if kind == Indicator.Kind.FIELD:
            if dataset is None:
                self.add_error("dataset", _("Select the dataset the value comes from"))
            elif not field_name:
                self.add_error("field", _("Enter the field to compare"))
            elif field_name not in PERSON_FIELDS and field_name not in (
                dataset.attribute_columns or []
            ):
                kept = ", ".join([*dataset.attribute_columns, *PERSON_FIELDS])
                self.add_error(
                    "field",
                    _("Enter a field the dataset keeps: %(kept)s") % {"kept": kept},
                )
        elif kind == Indicator.Kind.SERVICES:
            data["dataset"] = None
            data["field"] = ""
            threshold = data.get("threshold")
            if threshold is not None and (threshold < 1 or threshold != int(threshold)):
                self.add_error("threshold", _("Enter a whole number of services, like 3"))
        return data


class AccessLogForm(forms.Form):
    """Filters of the access-log viewer: a person (by name; the query string holds their id),
    an event (by its plain name) and dates. Nothing personal in the query string."""

    user = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("What happened"), required=False)
    since = forms.CharField(
        label=_("From"), help_text=_("For example, 01/04/2026"), required=False, max_length=10
    )
    until = forms.CharField(
        label=_("To"), help_text=_("For example, 30/04/2026"), required=False, max_length=10
    )

    def __init__(
        self,
        *args: Any,
        actions: list[tuple[str, str]],
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Everything")), *actions]
        user = self.fields["user"]
        assert isinstance(user, forms.ChoiceField)
        user.choices = [("", _("Everyone")), *people]

    def _day(self, name: str) -> date | None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        day = parse_day(raw)
        if day is None:
            raise forms.ValidationError(_("Enter a real date, like 01/04/2026"))
        return day

    def clean_since(self) -> date | None:
        return self._day("since")

    def clean_until(self) -> date | None:
        return self._day("until")
