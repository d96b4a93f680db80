"""What the council promised, for anyone (signed out too): /commitments/ and each
commitment's page with its timeline from where it came from to delivery."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from changemaker.core import commitment_selectors as selectors
from changemaker.core.notices import describe_subject
from changemaker.core.views.base import current_council
from changemaker.listening.forms import CommitmentFilterForm
from changemaker.listening.notices import commitment_key

PAGE_SIZE = 50


def commitments(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = CommitmentFilterForm(
        request.GET or None,
        wards=selectors.ward_choices(council),
        origins=selectors.origin_choices(council),
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    found = selectors.public_commitments(
        council,
        status=chosen.get("status") or "",
        ward=chosen.get("ward"),
        origin=chosen.get("origin") or "",
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "listening/commitments/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(chosen)},
    )


def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    found = selectors.public_commitment(council, pk)
    if found is None:
        raise Http404
    origin = describe_subject(council, found.source) if found.source else None
    parent = found.parent if found.parent is not None and found.parent.published else None
    return render(
        request,
        "listening/commitments/detail.html",
        {
            "commitment": found,
            "origin": origin,
            "parent": parent,
            "children": list(found.children.all()),
            "milestones": list(found.milestones.all()),
            "timeline": selectors.timeline(found),
            "key": commitment_key(found),
        },
    )
