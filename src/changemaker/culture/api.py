"""The staff survey's open data (``/api/culture/``, mounted by core.api): for each closed wave,
the whole organisation's score on each norm, and only the cells the engine published.

Nothing per person, and nothing per team or by characteristic: only the top of the
organisation chart, without breakdown, and a cell the engine suppressed (too few answers) is
left out, not shown as empty.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from changemaker.core.api import Page, listing, page_of
from changemaker.core.views.base import current_council
from changemaker.culture import selectors

router = Router(tags=["culture"])


class NormScoreOut(Schema):
    survey: str
    wave: str
    closed_on: date | None
    norm: str
    norm_name: str
    respondents: int
    score: float | None
    percent_positive: float | None


def _rows(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "survey": wave.survey.name,
            "wave": wave.name,
            "closed_on": wave.closed_on,
            "norm": scale,
            "norm_name": str(selectors.scale_label(scale)),
            "respondents": cell["n"],
            "score": cell["score"],
            "percent_positive": cell["percent_positive"],
        }
        for wave in selectors.closed_waves(current_council(request)).order_by("closed_on", "pk")
        for _unit, scale, cell in selectors.organisation_scores(wave)
    ]


@router.get(
    "/norm-scores",
    response=page_of(NormScoreOut),
    summary="The organisation's score on each norm, per closed wave",
)
def norm_scores(request: HttpRequest, page: Query[Page]) -> Any:
    return listing(page, _rows(request), NormScoreOut, "norm-scores")
