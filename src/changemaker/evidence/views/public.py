"""The practice library (anyone, signed out too): published pilots only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from changemaker.core.views.base import current_council
from changemaker.evidence import charts, explain, selectors
from changemaker.evidence.forms import LibraryForm
from changemaker.evidence.views.shared import result_context


def library(request: HttpRequest) -> HttpResponse:
    """Practice cards, searched and filtered with a GET form (no JavaScript needed)."""
    form = LibraryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cards = selectors.library(
        current_council(request),
        q=filters.get("q", ""),
        design=filters.get("design", ""),
        result=filters.get("result", ""),
        min_sms=filters.get("min_sms") or 0,
    )
    shared = selectors.shared_cards(current_council(request), q=filters.get("q", ""))
    return render(
        request,
        "evidence/library.html",
        {"form": form, "cards": cards, "shared": shared, "searched": bool(request.GET)},
    )


def card(request: HttpRequest, slug: str) -> HttpResponse:
    """One practice card: what was tried, where, at what cost, and what happened."""
    council = current_council(request)
    pilot = selectors.published_pilot(council, slug)
    context = {
        "pilot": pilot,
        "can_replicate": request.user.has_perm("evidence.manage", council),
        "changes": selectors.primary_outcome_changed(pilot),
        **result_context(pilot, selectors.latest_analysis(pilot)),
    }
    return render(request, "evidence/card.html", context)


def outcomes(request: HttpRequest) -> HttpResponse:
    """The shared outcomes the council's published pilots measure, each pooled on its page."""
    keys = [
        (key, selectors.outcome_words(key), n)
        for key, n in selectors.outcome_keys(current_council(request))
    ]
    return render(request, "evidence/outcomes.html", {"keys": keys})


def outcome(request: HttpRequest, key: str) -> HttpResponse:
    """Every published pilot measuring one outcome, pooled (random effects), with a forest
    plot (inline SVG, the same numbers in a table) and what it means, in words."""
    found = selectors.outcome_evidence(current_council(request), key)
    words = selectors.outcome_words(key)
    pooled = found.pooled
    values = [s.estimate for s in found.studies] + ([pooled["estimate"]] if pooled else [])
    places = max(explain.decimals_for(min((abs(v) for v in values if v), default=0.0)), 1)

    def shown(x: float | None) -> str:
        return "" if x is None else explain.number(x, places)

    rows = [
        {
            "study": s,
            "estimate": shown(s.estimate),
            "low": shown(s.low),
            "high": shown(s.high),
            "weight": explain.number(s.weight, 1) if pooled else "",
        }
        for s in found.studies
    ]
    context = {
        "key": key,
        "words": words,
        "found": found,
        "rows": rows,
        "forest": charts.forest(found.studies, pooled) if found.studies else None,
    }
    if pooled is not None:
        context |= {
            "headline": explain.pooled_headline(words, pooled, pooled["k"], places),
            "estimate": shown(pooled["estimate"]),
            "low": shown(pooled["ci"][0]),
            "high": shown(pooled["ci"][1]),
            "tau2": explain.number(pooled["tau2"], max(places, 2)),
            "i2": explain.number(pooled["i2"], 0),
            "heterogeneity": explain.heterogeneity(pooled, places),
            "limits": explain.pooling_limits(pooled["k"], pooled["method"]),
        }
    return render(request, "evidence/outcome.html", context)
