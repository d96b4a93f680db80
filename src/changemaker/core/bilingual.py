"""Content officers write in English and Welsh: a field ``title`` has a Welsh companion
``title_cy``. Residents see their language; where the Welsh is not written yet the English
shows, marked ``lang="en"`` so screen readers say it right (WCAG 3.1.2).

    text, fell_back = pick(project, "title")      # in code (emails, feeds)
    {% load bilingual %}{% bilingual project "title" %}          # in templates (inline)
    {% bilingual project "description" block=True %}  # paragraphs (linebreaks)

An empty Welsh field means "not translated yet"; nothing else marks it: ``missing(obj,
"title", "description")`` names the fields whose Welsh is still to write (staff lists tag them
"Welsh missing"; the staff area's "Still to translate" page lists them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language

WELSH = "cy"


def welsh_active() -> bool:
    return (get_language() or "").lower().startswith(WELSH)


def pick(obj: Any, field: str) -> tuple[str, bool]:
    """The field's text in the active language, and whether it fell back to English."""
    english = getattr(obj, field, "") or ""
    if not welsh_active():
        return english, False
    welsh = getattr(obj, f"{field}_{WELSH}", "") or ""
    if welsh.strip():
        return welsh, False
    return english, bool(english)


def text(obj: Any, field: str) -> str:
    """The field's text in the active language (plain, for emails, feeds and titles)."""
    return pick(obj, field)[0]


def missing(obj: Any, fields: Iterable[str]) -> list[str]:
    """The fields whose English is written but whose Welsh is not (yet)."""
    return [
        field
        for field in fields
        if str(getattr(obj, field, "") or "").strip()
        and not str(getattr(obj, f"{field}_{WELSH}", "") or "").strip()
    ]
