"""Template helpers for GOV.UK Frontend markup."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from changemaker.core.bilingual import welsh_active
from changemaker.core.dates import clock, moment
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
    counted = kind == "textarea" and getattr(field.field, "max_length", None)
    if counted:  # GOV.UK character count: its message, never the browser cutting text off
        css += " govuk-js-character-count"
        described.append(f"{field.auto_id}-info")
    attrs: dict[str, str | bool] = {
        "class": f"{css} {field.field.widget.attrs.get('class', '')}".strip()
    }
    if counted:
        attrs["maxlength"] = False
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


#: CLDR's plural forms; GOV.UK Frontend picks one by the page's language (Welsh uses them all)
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


@register.simple_tag
def character_count_words() -> SafeString:
    """The character count's live messages in the page's language, as GOV.UK Frontend's
    ``data-i18n`` attributes; none on an English page (its own words are English)."""
    if not welsh_active():
        return SafeString("")
    messages = {
        # Translators: GOV.UK Frontend puts the number in place of %{count}
        "characters-under-limit": gettext("You have %{count} characters remaining"),
        "characters-over-limit": gettext("You have %{count} characters too many"),
    }
    attributes = [
        (f"data-i18n.{key}.{form}", message)
        for key, message in messages.items()
        for form in PLURAL_FORMS
    ]
    attributes.append(("data-i18n.characters-at-limit", gettext("You have 0 characters remaining")))
    return format_html_join("", ' {}="{}"', attributes)


@register.filter
def mailto(address: object) -> str:
    """An email address as a GOV.UK link that opens the reader's email (other words as they are)."""
    text = str(address or "")
    if "@" not in text:
        return text
    return format_html('<a class="govuk-link" href="mailto:{}">{}</a>', text, text)


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


@register.filter
def govuk_time(moment: object) -> str:
    """A moment's time the GOV.UK way ("6am", "6:30pm"): core.dates.clock."""
    return clock(moment) if isinstance(moment, datetime) else ""


@register.filter
def govuk_moment(when: object) -> str:
    """A moment the GOV.UK way ("6:30pm on 1 December 2026"): core.dates.moment."""
    return moment(when) if isinstance(when, datetime) else ""


@register.filter
def money(amount: object, symbol: str = "£") -> str:
    """Money the UK way: "£30,000", "-£4,000" (never "£-4000"), pence only when there are
    some ("£12.50"). A value that is not a number is shown as it is."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    sign = "-" if value < 0 else ""
    value = abs(value)
    digits = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{sign}{symbol}{digits}"
