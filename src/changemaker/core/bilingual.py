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

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language

WELSH = "cy"


def welsh_active() -> bool:
    return (get_language() or "").lower().startswith(WELSH)


def _get(obj: Any, name: str) -> str:
    value = obj.get(name, "") if isinstance(obj, Mapping) else getattr(obj, name, "")
    return str(value or "")


def pick(obj: Any, field: str) -> tuple[str, bool]:
    """The field's text in the active language, and whether it fell back to English. ``obj``
    is a model (or any object) or a mapping (a notice's params: ``{"title": ..., "title_cy":
    ...}``, rendered at send time in the recipient's language)."""
    english = _get(obj, field)
    if not welsh_active():
        return english, False
    welsh = _get(obj, f"{field}_{WELSH}")
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
        if _get(obj, field).strip() and not _get(obj, f"{field}_{WELSH}").strip()
    ]
