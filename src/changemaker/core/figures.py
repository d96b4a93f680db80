"""Live figures about a council: core's own (commitments kept on time) and every registered
capability's (``Capability.figures``), joined so a page can show another capability's numbers
without importing it (the self-evaluation's evidence).

A published page freezes facts, not words: :func:`freeze` keeps a figure's key, value and facts
(with its words in the site's language, shown only if its key is ever unknown), and
:func:`thaw` tells it again from its kind (``Capability.figure_kinds``) in the reader's
language. A report's figures table is kept the same way (:func:`freeze_rows`,
:func:`report_rows`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core.bilingual import text, welsh_active
from changemaker.core.dates import long_date
from changemaker.core.models import Commitment, Council
from changemaker.core.registry import (
    FIGURE_KINDS,
    FIGURE_SOURCES,
    Figure,
    FigureKind,
    ReportFigure,
)

COMMITMENTS_ON_TIME = "core.commitments_on_time"


def _on_time_words(value: float | None, facts: Mapping[str, Any]) -> str:
    if not facts.get("total"):
        return _("No published commitment was due yet.")
    return _(
        "%(kept)s of the %(total)s published commitments due by %(day)s were done by "
        "their due date."
    ) % {"kept": facts["kept"], "total": facts["total"], "day": long_date(facts["day"])}


FIGURE_KINDS[COMMITMENTS_ON_TIME] = FigureKind(
    gettext_lazy("Commitments kept on time"), "%", _on_time_words
)


def _done_on(commitment: Commitment, first_done: date | None) -> date | None:
    """When a done commitment was done: the first update that set it done (else its last
    change)."""
    if commitment.status != Commitment.Status.DONE:
        return None
    return first_done or timezone.localdate(commitment.updated_at)


def commitments_on_time(council: Council, today: date | None = None) -> Figure:
    """Of the published commitments due by today, the share done by their due date."""
    today = today or timezone.localdate()
    due = (
        Commitment.objects.filter(council=council, published=True, due__lte=today)
        .annotate(first_done=Min("updates__at", filter=Q(updates__status=Commitment.Status.DONE)))
        .order_by("pk")
    )
    total = kept = 0
    for commitment in due:
        total += 1
        first = timezone.localdate(commitment.first_done) if commitment.first_done else None
        done_on = _done_on(commitment, first)
        if done_on is not None and commitment.due is not None and done_on <= commitment.due:
            kept += 1
    value = round(100 * kept / total, 1) if total else None
    return told(
        COMMITMENTS_ON_TIME, value, {"kept": kept, "total": total, "day": today.isoformat()}
    )


def live_figures(council: Council) -> list[Figure]:
    """Every live figure about the council, core's first, then each capability's."""
    found = [commitments_on_time(council)]
    for source in FIGURE_SOURCES:
        found += source(council)
    return found


def figure(council: Council, key: str) -> Figure | None:
    return next((f for f in live_figures(council) if f.key == key), None)


# Told in the reader's language, from facts -------------------------------------------------


def _label(kind: FigureKind, facts: Mapping[str, Any]) -> str:
    """The kind's label with its facts (a fact's Welsh ``name_cy`` in Welsh), after the part
    of the budget it belongs to ("Whole borough: Budget") if any."""
    label = str(kind.label)
    if "%(" in label:
        label = label % {name: text(facts, name) for name in facts if not name.endswith("_cy")}
    part = text(facts, "part")
    return f"{part}: {label}" if part else label


def told(key: str, value: float | None, facts: Mapping[str, Any]) -> Figure:
    """A figure in the active language, from its kind (``Capability.figure_kinds``)."""
    kind = FIGURE_KINDS[key]
    return Figure(
        key=key,
        label=_label(kind, facts),
        value=value,
        unit=str(kind.unit) if value is not None else "",
        explanation=kind.explain(value, facts) if kind.explain is not None else "",
        facts=dict(facts),
    )


def freeze(figures: Sequence[Figure]) -> dict[str, dict[str, Any]]:
    """Figures as a published page keeps them: key -> value and facts, with the words in the
    site's language (shown only if no capability knows the key any more)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            f.key: {
                "value": f.value,
                "facts": dict(f.facts),
                "label": str(f.label),
                "unit": str(f.unit),
                "explanation": str(f.explanation),
            }
            for f in figures
        }


def thaw(key: str, stored: Mapping[str, Any]) -> Figure:
    """A frozen figure in the active language. Understands both shapes: with ``facts`` it is
    told again from its kind; frozen before facts were kept (words only, in the publishing
    officer's language) its label and unit are told again and its sentence is shown as
    frozen; a key no capability knows any more (a removed figure) shows its frozen words."""
    value = stored.get("value")
    frozen = Figure(
        key=key,
        label=str(stored.get("label", "")),
        value=value,
        unit=str(stored.get("unit", "")),
        explanation=str(stored.get("explanation", "")),
        facts=stored.get("facts") or {},
    )
    kind = FIGURE_KINDS.get(key)
    if kind is None:
        return frozen
    try:
        if "facts" in stored:
            return told(key, value, stored["facts"])
        return replace(
            frozen, label=_label(kind, {}), unit=str(kind.unit) if value is not None else ""
        )
    except (KeyError, TypeError, ValueError):  # facts this version no longer reads
        return frozen


def freeze_rows(rows: Sequence[ReportFigure | tuple[str, str]]) -> list[dict[str, Any]]:
    """A report's figures table as kept: each row's key, value and facts, with its label in
    the site's language (shown if the key is unknown later). A (label, value) pair has no
    key: its label is kept as it is."""
    kept = []
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            if isinstance(row, ReportFigure):
                kind = FIGURE_KINDS.get(row.key)
                label = _label(kind, row.facts) if kind is not None else row.key
                kept.append(
                    {"key": row.key, "value": row.value, "facts": dict(row.facts), "label": label}
                )
            else:
                kept.append({"key": "", "value": str(row[1]), "facts": {}, "label": str(row[0])})
    return kept


def report_rows(stored: Sequence[Any]) -> list[tuple[str, str, str]]:
    """A report's figures table in the active language, as (label, value, lang): ``lang`` is
    "en" where a Welsh page shows a label as frozen in English (a row drafted before rows kept
    their key, [label, value], or whose key no capability knows any more)."""
    english = "en" if welsh_active() else ""
    rows = []
    for row in stored:
        if not isinstance(row, Mapping):
            label, value = row
            rows.append((str(label), str(value), english))
            continue
        kind = FIGURE_KINDS.get(row.get("key", ""))
        try:
            if kind is not None:
                facts = row.get("facts") or {}
                value = kind.words(facts) if kind.words else str(row["value"])
                rows.append((_label(kind, facts), value, ""))
                continue
        except (KeyError, TypeError, ValueError):
            pass
        rows.append((str(row.get("label", "")), str(row.get("value", "")), english))
    return rows


def told_rows(rows: Sequence[ReportFigure | tuple[str, str]]) -> list[tuple[str, str]]:
    """A drafted figures table as (label, value) in the active language (a capability's
    tests read its drafts this way)."""
    return [(label, value) for label, value, _lang in report_rows(freeze_rows(rows))]
