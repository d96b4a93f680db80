"""Listening's open data (``/api/listening/``, mounted by core.api): the published
self-evaluation scorecards and, for each, its criteria with the council's rating, evidence,
figure (as frozen at publication) and reply, and the residents' view in aggregate; the
published "we asked, you said, we did" pages; the council's published commitments, each with
its milestones and its updates (what was said and when).

Nothing personal: no rater, no comment's author; the residents' numbers (how many, the mean
and its 95% interval, how many gave each rating) only from the minimum number of ratings up,
as on the page; the comments shown on the page (checked by the council), without authors. A
"we asked, you said, we did" page holds counts, statements already public and what the council
did; drafts are never listed. An update's author is kept for the audit only; an owner is a
team, never a person; a milestone's document is given as its public address only while the
commitment is published. Follows and notifications are personal and are never published.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router, Schema

from changemaker.core import commitment_selectors
from changemaker.core.api import Page, listing, page_of
from changemaker.core.models.commitments import Commitment
from changemaker.core.views.base import current_council
from changemaker.listening import selectors
from changemaker.listening.models import Report, Scorecard

router = Router(tags=["listening"])


class ScorecardOut(Schema):
    slug: str
    title: str
    title_cy: str
    period: str
    published_at: datetime | None
    criteria: int


class CriterionOut(Schema):
    number: int
    text: str
    text_cy: str
    source: str
    council_rating: int | None
    evidence: str
    evidence_cy: str
    figure: str | None  # its label in English (figure_cy: in Welsh)
    figure_cy: str | None
    figure_value: float | None
    figure_unit: str | None
    figure_unit_cy: str | None
    figure_explanation: str | None  # where it comes from, as the page says it
    figure_explanation_cy: str | None
    residents_ratings: int | None  # None: fewer than the minimum (nothing else either)
    residents_mean: float | None
    interval_low: float | None
    interval_high: float | None
    rated_1: int | None
    rated_2: int | None
    rated_3: int | None
    rated_4: int | None
    rated_5: int | None
    gap: float | None
    reply: str
    reply_cy: str
    comments: list[str]


def _published(request: HttpRequest) -> Any:
    return selectors.scorecards_for_public(current_council(request)).filter(
        status=Scorecard.Status.PUBLISHED
    )


@router.get(
    "/scorecards",
    response=page_of(ScorecardOut),
    summary="The council's published self-evaluation scorecards",
)
def scorecards(request: HttpRequest, page: Query[Page]) -> Any:
    def row(card: Scorecard) -> dict[str, Any]:
        return {
            "slug": card.slug,
            "title": card.title,
            "title_cy": card.title_cy,
            "period": card.period,
            "published_at": card.published_at,
            "criteria": card.criteria.count(),
        }

    return listing(page, _published(request), ScorecardOut, "scorecards", row)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _figure(card: Scorecard, key: str) -> dict[str, Any]:
    """A criterion's figure as frozen at publication, its words in English and in Welsh."""
    found: dict[str, Any] = {"figure_value": None}
    for suffix, language in (("", "en"), ("_cy", "cy")):
        figure = selectors.frozen_figure_in(card, key, language)
        if figure is not None:
            found["figure_value"] = figure.value
        found[f"figure{suffix}"] = figure.label if figure else None
        found[f"figure_unit{suffix}"] = figure.unit if figure else None
        found[f"figure_explanation{suffix}"] = figure.explanation if figure else None
    return found


def _criterion(card: Scorecard, number: int, row: selectors.ScoreRow) -> dict[str, Any]:
    c, s = row.criterion, row.summary
    counts: list[int | None] = list(s.counts) if s.shown else [None] * 5
    return {
        "number": number,
        "text": c.text,
        "text_cy": c.text_cy,
        "source": c.source,
        "council_rating": c.council_rating,
        "evidence": c.evidence,
        "evidence_cy": c.evidence_cy,
        **_figure(card, c.figure),
        "residents_ratings": s.n if s.shown else None,
        "residents_mean": _rounded(s.mean),
        "interval_low": _rounded(s.low),
        "interval_high": _rounded(s.high),
        **{f"rated_{k}": counts[k - 1] for k in range(1, 6)},
        "gap": _rounded(row.gap),
        "reply": c.reply,
        "reply_cy": c.reply_cy,
        "comments": [r.comment for r in row.comments],
    }


@router.get(
    "/scorecards/{slug}/criteria",
    response=page_of(CriterionOut),
    summary="A published scorecard's criteria: the council's view, residents' and the reply",
)
def criteria(request: HttpRequest, slug: str, page: Query[Page]) -> Any:
    card = selectors.scorecard(current_council(request), slug, status=Scorecard.Status.PUBLISHED)
    rows = [_criterion(card, i, row) for i, row in enumerate(selectors.score_rows(card), start=1)]
    return listing(page, rows, CriterionOut, f"scorecard-{card.slug}")


class FigureOut(Schema):
    label: str  # in English (label_cy: in Welsh)
    label_cy: str
    value: str


class ReportOut(Schema):
    id: int
    source: str
    kind: str
    title: str
    title_cy: str
    we_asked: str
    we_asked_cy: str
    you_said: str
    you_said_cy: str
    we_did: str
    we_did_cy: str
    decisions: str
    decisions_cy: str
    figures: list[FigureOut]
    closed_on: date | None
    published_at: datetime | None
    url: str


def _report_figures(report: Report) -> list[dict[str, str]]:
    """The figures table, each label in English and in Welsh."""
    with translation.override("en"):
        english = selectors.report_figures(report)
    with translation.override("cy"):
        welsh = selectors.report_figures(report)
    return [
        {"label": label, "label_cy": label_cy, "value": value}
        for (label, value, _lang), (label_cy, _value, _lang_cy) in zip(english, welsh, strict=True)
    ]


def _report_row(report: Report) -> dict[str, Any]:
    return {
        **{
            f: getattr(report, f)
            for f in ReportOut.model_fields
            if f not in {"figures", "url"} and hasattr(report, f)
        },
        "figures": _report_figures(report),
        "url": reverse("listening:report", args=[report.pk]),
    }


@router.get(
    "/reports",
    response=page_of(ReportOut),
    summary="We asked, you said, we did: the published pages, newest first",
)
def reports(request: HttpRequest, page: Query[Page], kind: str = "") -> Any:
    return listing(
        page,
        selectors.published_reports(current_council(request), kind),
        ReportOut,
        "reports",
        _report_row,
    )


class MilestoneOut(Schema):
    title: str
    title_cy: str
    due: date
    done_on: date | None
    document: str | None  # its address on this site, if it has one
    document_name: str


class UpdateOut(Schema):
    commitment: int
    at: datetime
    text: str
    text_cy: str
    status: str
    progress: int | None


class CommitmentOut(Schema):
    id: int
    parent: int | None
    title: str
    title_cy: str
    description: str
    description_cy: str
    source: str
    owner: str
    ward: str | None
    status: str
    progress: int
    weight: int
    due: date | None
    milestones: list[MilestoneOut]


def _commitment_row(c: Commitment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "parent": c.parent_id if c.parent is not None and c.parent.published else None,
        **{
            f: getattr(c, f)
            for f in (
                "title",
                "title_cy",
                "description",
                "description_cy",
                "source",
                "owner",
                "status",
                "progress",
                "weight",
                "due",
            )
        },
        "ward": c.ward.name if c.ward else None,
        "milestones": [
            {
                "title": m.title,
                "title_cy": m.title_cy,
                "due": m.due,
                "done_on": m.done_on,
                "document": m.document.url if m.document else None,
                "document_name": m.document_name,
            }
            for m in c.milestones.all()
        ],
    }


@router.get("/commitments", response=page_of(CommitmentOut), summary="What the council promised")
def commitments(request: HttpRequest, page: Query[Page]) -> Any:
    found = (
        commitment_selectors.public_commitments(current_council(request))
        .select_related("parent")
        .prefetch_related("milestones")
        .order_by("pk")
    )
    return listing(page, found, CommitmentOut, "commitments", _commitment_row)


@router.get(
    "/commitment-updates",
    response=page_of(UpdateOut),
    summary="The updates of published commitments, newest first",
)
def updates(request: HttpRequest, page: Query[Page]) -> Any:
    published = commitment_selectors.public_commitments(current_council(request))
    rows = commitment_selectors.public_updates(published).values(
        "commitment_id", "at", "text", "text_cy", "status", "progress"
    )
    return listing(page, rows, UpdateOut, "commitment-updates", _update)


def _update(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "commitment": row.pop("commitment_id")}
