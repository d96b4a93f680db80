"""The practice library (anyone, signed out too): published pilots only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from changemaker.core.views.base import current_council
from changemaker.evidence import selectors
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
    return render(
        request,
        "evidence/library.html",
        {"form": form, "cards": cards, "searched": bool(request.GET)},
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
