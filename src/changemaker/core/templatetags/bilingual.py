"""``{% bilingual obj "field" %}``: officer-written text in the reader's language, with
``lang="en"`` on English shown in Welsh pages (see ``core.bilingual``); ``plain=True`` where
markup cannot go (a page's ``<title>``, an attribute, an SVG drawn as one image); ``words=30``
or ``chars=36`` shorten it. ``{% welsh_missing obj "title" %}``:
the "Welsh missing" tag staff lists show while any of the fields lacks its Welsh.
``{% english_shown obj "title" "description" %}``: on a Welsh page, a note at the top saying
that parts of the page are in English because their Welsh is not written yet."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from changemaker.core.bilingual import missing, pick, welsh_active

register = template.Library()


@register.simple_tag
def bilingual(
    obj: Any, field: str, block: bool = False, plain: bool = False, words: int = 0, chars: int = 0
) -> SafeString:
    value, fell_back = pick(obj, field)
    if words:
        value = Truncator(value).words(words)
    if chars:
        value = Truncator(value).chars(chars)
    if plain:
        return conditional_escape(value)
    if block:
        html = linebreaks_filter(value, autoescape=True)
        return format_html('<div lang="en">{}</div>', html) if fell_back else html
    if fell_back:
        return format_html('<span lang="en">{}</span>', value)
    return conditional_escape(value)


@register.simple_tag
def welsh_missing(obj: Any, *fields: str) -> SafeString:
    if not missing(obj, fields):
        return SafeString("")
    return format_html(
        '<strong class="govuk-tag govuk-tag--yellow">{}</strong>', _("Welsh missing")
    )


@register.simple_tag
def english_shown(obj: Any, *fields: str) -> SafeString:
    if not welsh_active() or not missing(obj, fields):
        return SafeString("")
    return format_html(
        '<div class="govuk-inset-text">{}</div>',
        _(
            "Parts of this page have not been translated into Welsh yet, so they are shown "
            "in English."
        ),
    )
