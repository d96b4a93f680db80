"""Sharing practice cards between councils, public side: the signed JSON feed, its Atom twin
and the page of the install's public key (anyone; no personal data: published cards only)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from changemaker.core.views.base import current_council
from changemaker.evidence import feeds, selectors, signing


def _document(request: HttpRequest) -> dict:
    council = current_council(request)
    cards = selectors.feed_cards(council, request.build_absolute_uri)
    publisher = {
        "name": council.name,
        "url": request.build_absolute_uri(reverse("evidence:library")),
    }
    generated = timezone.now().replace(microsecond=0).isoformat()
    return feeds.document(publisher, generated, cards)


def feed_json(request: HttpRequest) -> HttpResponse:
    """The council's practice cards as a signed JSON feed (docs/practice-feed.md)."""
    body = json.dumps(_document(request), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def feed_atom(request: HttpRequest) -> HttpResponse:
    """The same cards and signatures as Atom, for feed readers."""
    council = current_council(request)
    body = feeds.atom(
        _document(request),
        link=request.build_absolute_uri(reverse("evidence:library")),
        feed_url=request.build_absolute_uri(reverse("evidence:feed-atom")),
        title=f"{council.name}: practice cards",
    )
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def signing_key(request: HttpRequest) -> HttpResponse:
    """The install's public key, for councils that subscribe to its feed."""
    key = signing.public_key()
    context = {
        "key": key,
        "fingerprint": signing.fingerprint(key),
        "feed_url": request.build_absolute_uri(reverse("evidence:feed-json")),
        "atom_url": request.build_absolute_uri(reverse("evidence:feed-atom")),
        "version": feeds.VERSION,
    }
    return render(request, "evidence/signing_key.html", context)
