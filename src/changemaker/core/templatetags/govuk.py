"""Template helpers for GOV.UK Frontend markup."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from changemaker.core.jobs import summary
from changemaker.core.models import Job

register = template.Library()

WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """Render a field's widget with GOV.UK classes and accessible descriptions."""
    kind = field.widget_type
    css = WIDGET_CLASSES.get(kind, "govuk-input")
    if field.errors and kind != "checkbox":
        css += f" {css}--error"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {
        "class": f"{css} {field.field.widget.attrs.get('class', '')}".strip()
    }
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def error_id(field: BoundField) -> str:
    """Where an error-summary link should take focus: the field, or its first option."""
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.filter
def job_summary(job: Job) -> list[str]:
    """What a finished job did, in plain sentences (core.jobs.summary)."""
    return summary(job)
