"""Listening's open data (``/api/listening/``, mounted by core.api): the published "we asked,
you said, we did" pages.

Nothing personal: a page holds counts, statements already public and what the council did;
drafts are never listed. Who follows what and the notifications people were sent stay out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema

from changemaker.core.api import Page, listing, page_of
from changemaker.core.views.base import current_council
from changemaker.listening import selectors
from changemaker.listening.models import Report

router = Router(tags=["listening"])


class FigureOut(Schema):
    label: str
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


def _row(report: Report) -> dict[str, Any]:
    return {
        **{
            f: getattr(report, f)
            for f in ReportOut.model_fields
            if f not in {"figures", "url"} and hasattr(report, f)
        },
        "figures": [{"label": label, "value": value} for label, value in report.figures],
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
        _row,
    )
