"""Telling a story, for anyone, signed in or not (throttled per address): the collection's
question, a form with no name or contact, and a thank-you page saying what happens next."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from changemaker.core import throttle
from changemaker.core.net import client_ip
from changemaker.core.views.base import current_council
from changemaker.listening import actions, selectors
from changemaker.listening.forms import StoryForm
from changemaker.listening.models import StoryCollection

THROTTLE = "listening.story"


def _collection(request: HttpRequest, slug: str) -> StoryCollection:
    found = selectors.open_collection(current_council(request), slug)
    if found is None:
        raise Http404
    return found


def tell(request: HttpRequest, slug: str) -> HttpResponse:
    collection = _collection(request, slug)
    wards = selectors.council_wards(collection.council)
    form = StoryForm(request.POST if request.method == "POST" else None, wards=wards)
    if request.method == "POST" and collection.is_open and form.is_valid():
        throttle.hit(THROTTLE, client_ip(request), council=collection.council)
        try:
            actions.tell_story(
                collection,
                what_works=form.cleaned_data["what_works"],
                what_would_help=form.cleaned_data["what_would_help"],
                ward=form.chosen_ward(),
                consent=form.cleaned_data["consent"],
            )
        except actions.StoryError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("listening:story-thanks", slug=collection.slug)
    return render(
        request,
        "listening/stories/tell.html",
        {
            "collection": collection,
            "form": form,
            "quoted": selectors.quotable_stories(collection),
        },
    )


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request, "listening/stories/thanks.html", {"collection": _collection(request, slug)}
    )
