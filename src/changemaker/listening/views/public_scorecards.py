"""The open self-evaluation for anyone, signed in or not: the cycles, and each published
scorecard with the council's view, the residents' view, the gap between them and the
council's reply."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from changemaker.core.bilingual import text
from changemaker.core.views.base import current_council
from changemaker.listening import criteria_bank, selectors
from changemaker.listening.engine.ratings import MIN_RATINGS
from changemaker.listening.gapchart import gap_chart
from changemaker.listening.models import Scorecard


def scorecards(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    cards = list(selectors.scorecards_for_public(council))
    return render(
        request,
        "listening/scorecards/index.html",
        {
            "open": [c for c in cards if c.status == Scorecard.Status.OPEN],
            "published": [c for c in cards if c.status == Scorecard.Status.PUBLISHED],
            # signed out: the link leads to signing in; staff do not rate their own council
            "can_rate": not request.user.is_authenticated
            or request.user.has_perm("listening.rate_scorecards", council),
        },
    )


def scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    card = selectors.scorecard(current_council(request), slug, status=Scorecard.Status.PUBLISHED)
    rows = selectors.score_rows(card)
    return render(
        request,
        "listening/scorecards/scorecard.html",
        {
            "card": card,
            "rows": rows,
            "chart": gap_chart(rows, [text(r.criterion, "text") for r in rows]),
            "minimum": MIN_RATINGS,
            "attribution": criteria_bank.ATTRIBUTION,
        },
    )
