"""Pilots and evidence's open data (``/api/evidence/``, mounted by core.api): the practice
library's published cards, as the public library shows them.

Officer-written words come with their Welsh beside them (``title_cy``...: blank where the
Welsh is not written yet).

Nothing personal: a card describes a pilot and its result in words (no outcome data rows).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from changemaker.core.api import Page, listing, page_of
from changemaker.core.views.base import current_council
from changemaker.evidence import selectors

router = Router(tags=["evidence"])
CARD_FIELDS = (
    "slug", "title", "title_cy", "problem", "problem_cy", "intervention", "intervention_cy",
)  # fmt: skip


class PracticeCardOut(Schema):
    slug: str
    title: str
    title_cy: str
    problem: str
    problem_cy: str
    intervention: str
    intervention_cy: str
    place: str
    design: str
    primary_outcome: str
    hypothesis: str
    result: str
    direction: str
    maryland_level: int | None
    nesta_level: int


@router.get("/practice-cards", response=page_of(PracticeCardOut), summary="Practice library")
def practice_cards(request: HttpRequest, page: Query[Page]) -> Any:
    def row(card: selectors.Card) -> dict[str, Any]:
        pilot = card.pilot
        return {
            **{f: getattr(pilot, f) for f in CARD_FIELDS},
            "place": pilot.place,
            "design": pilot.design,
            "primary_outcome": pilot.primary_outcome,
            "hypothesis": pilot.hypothesis,
            "result": card.sentence,
            "direction": card.direction,
            "maryland_level": card.rating.sms,
            "nesta_level": card.rating.nesta,
        }

    cards = selectors.library(current_council(request))
    return listing(page, cards, PracticeCardOut, "practice-cards", row)
