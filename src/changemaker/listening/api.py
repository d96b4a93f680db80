"""Listening's open data (``/api/listening/``, mounted by core.api): the council's published
commitments, each with its milestones and its updates (what was said and when).

Nothing personal: who follows what and the notifications people were sent are never here;
an update's author is kept for the audit only; an owner is a team, never a person. A
milestone's document is given as its public address only while the commitment is published.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from changemaker.core import commitment_selectors as selectors
from changemaker.core.api import Page, listing, page_of
from changemaker.core.models.commitments import Commitment
from changemaker.core.views.base import current_council

router = Router(tags=["listening"])


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


def _row(c: Commitment) -> dict[str, Any]:
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
        selectors.public_commitments(current_council(request))
        .select_related("parent")
        .prefetch_related("milestones")
        .order_by("pk")
    )
    return listing(page, found, CommitmentOut, "commitments", _row)


@router.get(
    "/commitment-updates",
    response=page_of(UpdateOut),
    summary="The updates of published commitments, newest first",
)
def updates(request: HttpRequest, page: Query[Page]) -> Any:
    published = selectors.public_commitments(current_council(request))
    rows = selectors.public_updates(published).values(
        "commitment_id", "at", "text", "text_cy", "status", "progress"
    )
    return listing(page, rows, UpdateOut, "commitment-updates", _update)


def _update(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "commitment": row.pop("commitment_id")}
