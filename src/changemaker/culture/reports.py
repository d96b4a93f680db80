"""Closed staff survey waves for "we asked, you said, we did"
(``core.registry.Capability.reports``).

Only what the open data shows: the whole organisation's score on each norm, from the stored
report, without breakdown, and only the cells the engine published (a suppressed cell is
left out, never shown as empty). Nothing per team, per characteristic or per person; no
comments. How many answered is for the whole wave, as the survey lead sees it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core.models import Council
from changemaker.core.notices import subject_key
from changemaker.core.registry import FigureKind, ReportDraft, ReportFigure, ReportSource
from changemaker.culture import selectors
from changemaker.culture.models import Wave

KIND = gettext_lazy("Staff survey")


def _score_label(scale: str) -> str:
    return _("Score out of 100: %(norm)s") % {"norm": selectors.scale_label(scale)}


#: the rows of a wave's figures table, told in the reader's language (Capability.figure_kinds)
FIGURE_KINDS = {
    "culture.report.invited": FigureKind(gettext_lazy("Staff invited")),
    "culture.report.answered": FigureKind(gettext_lazy("Staff who answered")),
    **{
        f"culture.report.score.{scale}": FigureKind(lazy(_score_label, str)(scale))
        for scale in selectors.SCALES
    },
}


def closed_waves(council: Council) -> list[ReportSource]:
    """Closed waves whose report has been worked out."""
    return [
        ReportSource(
            key=subject_key(wave),
            kind=KIND,
            title=_("%(survey)s: %(wave)s") % {"survey": wave.survey.name, "wave": wave.name},
            closed_on=wave.closed_on,
            draft=partial(draft, wave),
        )
        for wave in selectors.closed_waves(council).filter(report__isnull=False)
    ]


def _score(cell: dict[str, Any]) -> str:
    return f"{cell['score']:.0f}"


def _positive(cell: dict[str, Any]) -> str:
    return f"{cell['percent_positive']:.0f}%"


def draft(wave: Wave) -> ReportDraft:
    taking_part = selectors.participation(wave)
    cells = selectors.organisation_scores(wave)
    norms = [str(selectors.scale_label(s)) for s in dict.fromkeys(scale for _u, scale, _c in cells)]
    asked = _(
        "We asked everyone who works for the council, in the %(wave)s wave of the %(survey)s, "
        "how far these hold where they work: %(norms)s. Answers were anonymous, and no group "
        "of fewer than %(min)s people is reported."
    ) % {
        "wave": wave.name,
        "survey": wave.survey.name,
        "norms": "; ".join(norms),
        "min": wave.min_group,
    }
    invited = taking_part["invited"]
    answered = taking_part["answered"] or max((c["n"] for _u, _s, c in cells), default=0)
    said = [
        _("%(answered)s of the %(invited)s staff invited answered.")
        % {"answered": f"{answered:,}", "invited": f"{invited:,}"}
        if invited
        else _("%(answered)s staff answered.") % {"answered": f"{answered:,}"}
    ]
    said += [
        _("%(norm)s: a score of %(score)s out of 100; %(positive)s agreed.")
        % {
            "norm": selectors.scale_label(scale),
            "score": _score(cell),
            "positive": _positive(cell),
        }
        for _unit, scale, cell in cells
    ]
    if cells:
        _unit, weakest, _cell = min(cells, key=lambda c: c[2]["score"])
        said.append(
            _("The lowest score was for %(norm)s.") % {"norm": selectors.scale_label(weakest)}
        )
    figures = [ReportFigure("culture.report.invited", f"{invited:,}")] if invited else []
    figures.append(ReportFigure("culture.report.answered", f"{answered:,}"))
    figures += [
        ReportFigure(f"culture.report.score.{scale}", _score(cell)) for _unit, scale, cell in cells
    ]
    return ReportDraft(we_asked=asked, you_said="\n".join(said), figures=figures, url="")
