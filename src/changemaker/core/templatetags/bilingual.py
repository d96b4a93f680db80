"""``{% bilingual obj "field" %}``: officer-written text in the reader's language, with
``lang="en"`` on English shown in Welsh pages (see ``core.bilingual``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from changemaker.core.bilingual import pick

register = template.Library()


@register.simple_tag
def bilingual(obj: Any, field: str, block: bool = False) -> SafeString:
    value, fell_back = pick(obj, field)
    if block:
        html = linebreaks_filter(value, autoescape=True)
        return format_html('<div lang="en">{}</div>', html) if fell_back else html
    if fell_back:
        return format_html('<span lang="en">{}</span>', value)
    return conditional_escape(value)
