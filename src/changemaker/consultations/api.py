"""Consultations' open data (``/api/consultations/``, mounted by core.api): the consultations
anyone may see, and their published statements with how many agreed, disagreed and passed.

Nothing personal: no participant, author or single vote. Counts follow the minimum-participants
rule (``selectors.published_tallies``): none until as many people have voted as the map needs,
and none for a statement fewer people voted on. Invited-only consultations are left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from changemaker.consultations import selectors
from changemaker.consultations.models import Consultation, Statement
from changemaker.core.api import Page, listing, page_of
from changemaker.core.views.base import current_council

router = Router(tags=["consultations"])


class ConsultationOut(Schema):
    slug: str
    question: str
    question_cy: str = Field(description="The question in Welsh (blank: not written yet).")
    background: str
    background_cy: str
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    statements: int
    minimum_people: int = Field(description="People needed before vote counts are shown.")


class StatementOut(Schema):
    number: int
    text: str
    text_cy: str = Field(description="The statement in Welsh (blank: not written yet).")
    is_seed: bool
    agree: int | None
    disagree: int | None
    passed: int | None


def _public(request: HttpRequest) -> list[Consultation]:
    found = selectors.visible_consultations(current_council(request), None)
    return sorted(found, key=lambda c: (-c.opens_at.timestamp(), c.slug))


@router.get("/", response=page_of(ConsultationOut), summary="Consultations anyone may see")
def consultations(request: HttpRequest, page: Query[Page]) -> Any:
    def row(c: Consultation) -> dict[str, Any]:
        return {
            "slug": c.slug,
            "question": c.question,
            "question_cy": c.question_cy,
            "background": c.background,
            "background_cy": c.background_cy,
            "opens_at": c.opens_at,
            "closes_at": c.closes_at,
            "is_open": c.is_open,
            "statements": selectors.published_count(c),
            "minimum_people": c.map_minimum,
        }

    return listing(page, _public(request), ConsultationOut, "consultations", row)


@router.get(
    "/{slug}/statements",
    response=page_of(StatementOut),
    summary="Published statements and their votes (counts only from the minimum of people)",
)
def statements(request: HttpRequest, slug: str, page: Query[Page]) -> Any:
    consultation = next((c for c in _public(request) if c.slug == slug), None)
    if consultation is None:
        raise Http404
    tallies = selectors.published_tallies(consultation)
    found = consultation.statements.filter(status=Statement.Status.PUBLISHED).order_by("number")

    def row(s: Statement) -> dict[str, Any]:
        counts = tallies.get(s.pk, {})
        return {
            "number": s.number,
            "text": s.text,
            "text_cy": s.text_cy,
            "is_seed": s.is_seed,
            "agree": counts.get("agree"),
            "disagree": counts.get("disagree"),
            "passed": counts.get("pass"),
        }

    return listing(page, found, StatementOut, "statements", row)
