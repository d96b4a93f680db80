"""Forms of the data-governance pages (GOV.UK question pages, plain English errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from changemaker.core.fields import CHECKBOXES, DayField
from changemaker.core.models import Council
from changemaker.insight.actions.common import MAPPED_FIELDS, MAX_UPLOAD_BYTES
from changemaker.insight.models import (
    PERSON_FIELDS,
    Dataset,
    DataSharingAgreement,
    LawfulBasis,
    Purpose,
    RestrictedCategory,
)

FIELD_LABELS: dict[str, Any] = {
    "record_id": _("The record's own reference (required)"),
    "first_name": _("First name"),
    "surname": _("Surname"),
    "date_of_birth": _("Date of birth"),
    "postcode": _("Postcode"),
    "address_line": _("Address"),
    "nino": _("National Insurance number"),
    "email": _("Email address"),
    "phone": _("Phone number"),
    "address_from": _("Lived at the address from (date)"),
    "address_to": _("Lived at the address until (date)"),
}


def _checkboxes(label: Any, choices: Any = (), **kwargs: Any) -> Any:
    return forms.MultipleChoiceField(  # type: ignore[call-arg]  # Django 5+ accepts it
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES,
        **kwargs,
    )


class PurposeForm(forms.Form):
    name = forms.CharField(
        label=_("Purpose"),
        max_length=120,
        help_text=_("For example, Early help assessment"),
        error_messages={"required": _("Enter the purpose")},
    )
    description = forms.CharField(
        label=_("What it covers (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evaluation = forms.BooleanField(
        label=_("Evaluating pilots with counts by ward and month"),
        help_text=_(
            "Agreements covering this purpose let pilots take counts by ward and month as "
            "their outcome: small numbers are hidden and no one's records leave this service."
        ),
        required=False,
    )


class AgreementForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        help_text=_("The agreement's reference in your information-governance register"),
        error_messages={"required": _("Enter the agreement's reference")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    controller = forms.CharField(
        label=_("Data controller"),
        max_length=200,
        help_text=_("Who decides why the data is used"),
        error_messages={"required": _("Enter the data controller")},
    )
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis"),
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the lawful basis")},
    )
    statutory_function = forms.CharField(
        label=_("Statutory function"),
        max_length=300,
        required=False,
        help_text=_(
            "Needed for public task: the law that gives the duty, e.g. Children Act 2004 s.10"
        ),
    )
    purposes = _checkboxes(
        _("Purposes it covers"),
        error_messages={"required": _("Choose at least one purpose")},
    )
    restricted_categories = _checkboxes(
        _("Restricted categories held under it (optional)"),
        RestrictedCategory.choices,
        required=False,
    )
    restricted_purposes = _checkboxes(
        _("Purposes that may see restricted data (optional)"),
        required=False,
        help_text=_("Only purposes the agreement covers"),
    )
    retention_days = forms.IntegerField(
        label=_("Keep records for (days)"),
        min_value=1,
        max_value=36500,
        help_text=_("Counted from the day a record is received. For example, 2190 for 6 years"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "required": _("Enter how many days records are kept"),
            "invalid": _("Enter the number of days as a whole number, like 2190"),
            "min_value": _("Records must be kept for at least 1 day"),
            "max_value": _("Enter at most 36500 days"),
        },
    )
    starts_on = DayField(
        label=_("In force from"),
        help_text=_("For example, 01/04/2026"),
        example="01/04/2026",
        error_messages={"required": _("Enter the date the agreement is in force from")},
    )
    ends_on = DayField(
        label=_("In force until (optional)"),
        required=False,
        help_text=_("Leave empty if it has no end date"),
        example="31/03/2029",
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purpose_objects = {str(p.pk): p for p in Purpose.objects.filter(council=council)}
        choices = [(pk, p.name) for pk, p in self.purpose_objects.items()]
        self.fields["purposes"].choices = choices  # type: ignore[attr-defined]
        self.fields["restricted_purposes"].choices = choices  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, agreement: DataSharingAgreement) -> dict[str, Any]:
        initial = {name: getattr(agreement, name) for name in cls.base_fields}
        initial["purposes"] = [str(p.pk) for p in agreement.purposes.all()]
        initial["restricted_purposes"] = [str(p.pk) for p in agreement.restricted_purposes.all()]
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("lawful_basis") == LawfulBasis.PUBLIC_TASK
            and not data.get("statutory_function", "").strip()
        ):
            self.add_error(
                "statutory_function",
                _("Enter the statutory function: public task needs the law that gives the duty"),
            )
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must be on or after the start date"))
        chosen = set(data.get("purposes") or [])
        if set(data.get("restricted_purposes") or []) - chosen:
            self.add_error(
                "restricted_purposes",
                _("Choose only purposes the agreement covers"),
            )
        return data

    def action_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["purposes"] = [self.purpose_objects[pk] for pk in data["purposes"]]
        data["restricted_purposes"] = [
            self.purpose_objects[pk] for pk in data.get("restricted_purposes") or []
        ]
        return data


class DatasetForm(forms.Form):
    title = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example, Council tax accounts"),
        error_messages={"required": _("Enter the dataset's name")},
    )
    code = forms.CharField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Lower-case letters, numbers and hyphens, e.g. council-tax. Names its records"),
        validators=[validate_slug],
        error_messages={
            "required": _("Enter a short name, like council-tax"),
            "invalid": _("Use only letters, numbers, hyphens and underscores"),
        },
    )
    service = forms.CharField(
        label=_("Service that holds it"),
        max_length=200,
        error_messages={"required": _("Enter the service that holds the data")},
    )
    agreement = forms.ChoiceField(
        label=_("Data-sharing agreement"),
        widget=forms.RadioSelect,
        help_text=_("No agreement, no import: add the agreement first if it is not listed"),
        error_messages={"required": _("Choose the agreement the data is shared under")},
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreements = {
            str(a.pk): a for a in DataSharingAgreement.objects.filter(council=council)
        }
        self.fields["agreement"].choices = [  # type: ignore[attr-defined]
            (pk, str(a)) for pk, a in self.agreements.items()
        ]

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().lower()

    def action_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["agreement"] = self.agreements[data["agreement"]]
        return data


class MappingForm(forms.Form):
    """For each person-schema field, the column of the service's file that holds it."""

    attributes = forms.CharField(
        label=_("Other columns to keep (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "One column name a line, as in the file, e.g. arrears_amount. Kept for "
            "early-help indicators"
        ),
    )
    restricted = _checkboxes(
        _("Fields in a restricted category (optional)"),
        required=False,
        help_text=_("Hidden unless a purpose may see the agreement's restricted data"),
    )

    def __init__(self, *args: Any, dataset: Dataset, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                **{f"column_{k}": v for k, v in dataset.column_mapping.items()},
                "attributes": "\n".join(dataset.attribute_columns),
                "restricted": list(dataset.restricted_fields),
            },
        )
        super().__init__(*args, **kwargs)
        columns: dict[str, forms.Field] = {}
        for name in MAPPED_FIELDS:
            columns[f"column_{name}"] = forms.CharField(
                label=FIELD_LABELS[name],
                max_length=200,
                required=name == "record_id",
                help_text=_("The column's heading in the file") if name == "record_id" else "",
                error_messages={
                    "required": _("Enter the column that holds the record's reference")
                },
                widget=forms.TextInput(attrs={"spellcheck": "false"}),
            )
        self.fields = {**columns, **self.fields}
        kept = list(dataset.attribute_columns)
        if self.is_bound:
            kept += [a for a in self._attribute_names(self.data.get("attributes")) if a not in kept]
        self.fields["restricted"].choices = [  # type: ignore[attr-defined]
            *((f, FIELD_LABELS[f]) for f in PERSON_FIELDS),
            *((a, a) for a in kept),
        ]

    @staticmethod
    def _attribute_names(raw: Any) -> list[str]:
        return [line.strip() for line in str(raw or "").splitlines() if line.strip()]

    def clean_attributes(self) -> list[str]:
        return self._attribute_names(self.cleaned_data.get("attributes"))

    def action_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "columns": {n: data.get(f"column_{n}") or "" for n in MAPPED_FIELDS},
            "attributes": data["attributes"],
            "restricted": data.get("restricted") or [],
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("A CSV file saved as UTF-8, or a Parquet file, with a header row"),
        error_messages={
            "required": _("Choose the file to upload"),
            "empty": _("The file is empty"),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 200 MB"))
        if not upload.name.lower().endswith((".csv", ".parquet", ".pq")):
            raise forms.ValidationError(_("The file must be a CSV or Parquet file"))
        return upload


class GazetteerForm(forms.Form):
    file = forms.FileField(
        label=_("Upload the gazetteer"),
        help_text=_(
            "A CSV file saved as UTF-8 with a header row naming the columns uprn, sao, pao, "
            "street, town and postcode (LLPG and AddressBase names such as pao_text, "
            "street_description and postcode_locator also work)"
        ),
        error_messages={
            "required": _("Choose the gazetteer file to upload"),
            "empty": _("The file is empty"),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 200 MB"))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The gazetteer must be a CSV file (.csv)"))
        return upload


class RunForm(forms.Form):
    retrain = forms.BooleanField(
        label=_("Train a new linkage model on the current records"),
        required=False,
        help_text=_("Otherwise the last run's model is used (recommended for routine runs)"),
    )
