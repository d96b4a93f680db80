"""Participatory budgeting's open data (``/api/budgeting/``, mounted by core.api): budgets,
their ward or council-wide budgets, the ideas anyone may see, and results once published.

Officer-written words come in English with their Welsh beside them (``title_cy``...: blank
where the Welsh is not written yet).

Nothing personal: no author, supporter, voter, code or ballot; results are what the results
page shows (votes per project, ballots per ward) and only from the results phase on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from changemaker.budgeting import selectors
from changemaker.budgeting.models import Phase, Process, Project
from changemaker.core.api import Page, listing, page_of
from changemaker.core.views.base import current_council

router = Router(tags=["budgeting"])


class ProcessOut(Schema):
    slug: str
    title: str
    title_cy: str
    summary: str
    summary_cy: str
    phase: str
    ideas_from: datetime
    review_from: datetime
    voting_from: datetime
    voting_until: datetime
    delivery_from: datetime
    ballot_type: str
    counting_rule: str


class BudgetOut(Schema):
    id: int
    name: str
    name_cy: str
    ward: str | None
    budget: int


class IdeaOut(Schema):
    code: str
    title: str
    title_cy: str
    description: str
    description_cy: str
    location: str
    ward: str | None
    budget: str
    budget_cy: str
    cost: int
    status: str
    supporters: int
    delivery_status: str
    delivery_progress: int


class ResultOut(Schema):
    budget: str
    budget_cy: str
    code: str
    title: str
    title_cy: str
    cost: int
    votes: int
    funded: bool
    reason: str


class TurnoutOut(Schema):
    budget: str
    budget_cy: str
    ward: str | None
    ballots: int


def _process(request: HttpRequest, slug: str) -> Process:
    return get_object_or_404(Process, council=current_council(request), slug=slug)


def _published(process: Process) -> bool:
    return process.phase in {Phase.RESULTS, Phase.DELIVERY}


@router.get("/processes", response=page_of(ProcessOut), summary="Budgets residents decide")
def processes(request: HttpRequest, page: Query[Page]) -> Any:
    found = Process.objects.filter(council=current_council(request)).order_by("-voting_from")

    def row(p: Process) -> dict[str, Any]:
        return {
            **{f: getattr(p, f) for f in ProcessOut.model_fields if hasattr(Process, f)},
            "phase": p.phase,
            "counting_rule": p.rule,
        }

    return listing(page, found, ProcessOut, "processes", row)


@router.get("/processes/{slug}/budgets", response=page_of(BudgetOut), summary="Its budgets")
def budgets(request: HttpRequest, slug: str, page: Query[Page]) -> Any:
    found = _process(request, slug).headings.select_related("ward").order_by("pk")

    def row(h: Any) -> dict[str, Any]:
        return {
            "id": h.pk,
            "name": h.name,
            "name_cy": h.name_cy,
            "ward": h.ward and h.ward.name,
            "budget": h.budget,
        }

    return listing(page, found, BudgetOut, "budgets", row)


@router.get("/processes/{slug}/ideas", response=page_of(IdeaOut), summary="Published ideas")
def ideas(request: HttpRequest, slug: str, page: Query[Page]) -> Any:
    process = _process(request, slug)
    found = (
        selectors.visible_ideas(AnonymousUser(), process).select_related("ward").order_by("code")
    )
    funded = list(process.projects.filter(code__in=selectors.funded_codes(process)))
    deliveries = selectors.deliveries(process, funded)

    def row(p: Project) -> dict[str, Any]:
        delivery = deliveries.get(p.code)
        return {
            "code": p.code,
            "title": p.title,
            "title_cy": p.title_cy,
            "description": p.description,
            "description_cy": p.description_cy,
            "location": p.location,
            "ward": p.ward and p.ward.name,
            "budget": p.heading.name,
            "budget_cy": p.heading.name_cy,
            "cost": p.cost,
            "status": p.status,
            "supporters": p.support_count,  # type: ignore[attr-defined]
            # a funded idea's commitment (its page: /api/listening/commitments)
            "delivery_status": delivery.status if delivery else "",
            "delivery_progress": delivery.progress if delivery else 0,
        }

    return listing(page, found, IdeaOut, "ideas", row)


@router.get(
    "/processes/{slug}/results",
    response=page_of(ResultOut),
    summary="Votes per project and what was funded (empty until results are out)",
)
def results(request: HttpRequest, slug: str, page: Query[Page]) -> Any:
    process = _process(request, slug)
    blocks = selectors.results_blocks(process) if _published(process) else []
    rows = [
        {
            "budget": block["heading"].name,
            "budget_cy": block["heading"].name_cy,
            "code": r["project"].code,
            "title": r["project"].title,
            "title_cy": r["project"].title_cy,
            "cost": r["project"].cost,
            "votes": r["votes"],
            "funded": r["funded"],
            "reason": r["reason"],
        }
        for block in blocks
        if block["count"] is not None
        for r in block["rows"]
    ]
    return listing(page, rows, ResultOut, "results")


@router.get(
    "/processes/{slug}/turnout",
    response=page_of(TurnoutOut),
    summary="Ballots per budget and ward (empty until results are out)",
)
def turnout(request: HttpRequest, slug: str, page: Query[Page]) -> Any:
    process = _process(request, slug)
    blocks = selectors.results_blocks(process) if _published(process) else []
    rows = [
        {
            "budget": block["heading"].name,
            "budget_cy": block["heading"].name_cy,
            "ward": t["ward__name"],
            "ballots": t["n"],
        }
        for block in blocks
        if block["count"] is not None
        for t in block["turnout"]
    ]
    return listing(page, rows, TurnoutOut, "turnout")
