"""Engagement staff's pages for residents' stories: collections, typing in paper and phone
stories, reading and theming them, suggested groupings, and a theme becoming a budget idea or
a consultation statement. Story text may name people: every page needs
``listening.manage_stories`` with a second factor, and every reading of stories is audited."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core import audit
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.listening import actions, selectors
from changemaker.listening.forms import (
    CollectionForm,
    EnteredStoryForm,
    ProposalForm,
    StoryCheckForm,
    ThemeForm,
)
from changemaker.listening.models import StoryCollection
from changemaker.listening.views.shared import STORIES, paginate

manage = council_permission(STORIES, two_factor=True)


def _collection(request: HttpRequest, pk: int) -> StoryCollection:
    found = selectors.collection_of(current_council(request), pk)
    if found is None:
        raise Http404
    return found


def _viewed(request: HttpRequest, collection: StoryCollection, what: str, **detail: object) -> None:
    """Reading stories is reading what may be personal data: audited (never the words)."""
    audit.record(
        "listening.stories.viewed",
        actor=signed_in_user(request),
        council=collection.council,
        obj=collection,
        reason="listening",
        page=what,
        **detail,
    )


@manage
def collections(request: HttpRequest) -> HttpResponse:
    rows = selectors.collections(current_council(request))
    return render(request, "listening/stories/collections.html", {"rows": rows})


@manage
def collection_new(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = CollectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = actions.create_collection(
                council, by=signed_in_user(request), **form.cleaned_data
            )
        except actions.StoryError as exc:
            form.add_error("slug", str(exc))
        else:
            messages.success(request, _("Collection started. Share its web address."))
            return redirect("listening:stories-collection", pk=collection.pk)
    return render(request, "listening/stories/collection_form.html", {"form": form})


@manage
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    found = _collection(request, pk)
    themes = list(selectors.themes_of(found))
    theme = next((t for t in themes if str(t.pk) == request.GET.get("theme")), None)
    page = paginate(request, selectors.stories_of(found, theme))
    _viewed(request, found, "collection", stories=len(page.object_list))
    return render(
        request,
        "listening/stories/collection.html",
        {
            "collection": found,
            "themes": themes,
            "theme": theme,
            "page": page,
            "suggested": len(selectors.open_suggestions(found)),
        },
    )


@require_POST
@manage
def collection_open(request: HttpRequest, pk: int) -> HttpResponse:
    found = _collection(request, pk)
    is_open = request.POST.get("open") == "yes"
    actions.set_collection_open(found, by=signed_in_user(request), is_open=is_open)
    messages.success(
        request,
        _("Residents can tell stories again.") if is_open else _("The collection is closed."),
    )
    return redirect("listening:stories-collection", pk=found.pk)


@manage
def story_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _collection(request, pk)
    wards = selectors.council_wards(found.council)
    form = EnteredStoryForm(request.POST if request.method == "POST" else None, wards=wards)
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_story(
                found,
                by=signed_in_user(request),
                channel=form.cleaned_data["channel"],
                what_works=form.cleaned_data["what_works"],
                what_would_help=form.cleaned_data["what_would_help"],
                ward=form.chosen_ward(),
                consent=form.cleaned_data["consent"],
            )
        except actions.StoryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Story saved. You can type in the next one."))
            return redirect("listening:stories-story-new", pk=found.pk)
    return render(request, "listening/stories/story_form.html", {"form": form, "collection": found})


@manage
def story(request: HttpRequest, pk: int, story: int) -> HttpResponse:
    found = _collection(request, pk)
    told = selectors.story_of(found, story)
    if told is None:
        raise Http404
    themes = selectors.themes_of(found)
    initial = {
        "status": told.status if told.status != told.Status.NEW else "",
        "themes": [str(t.pk) for t in told.themes.all()],
    }
    form = StoryCheckForm(
        request.POST if request.method == "POST" else None, themes=themes, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        actions.check_story(
            told,
            by=signed_in_user(request),
            status=form.cleaned_data["status"],
            themes=form.chosen_themes(),
        )
        messages.success(request, _("Saved."))
        return redirect("listening:stories-collection", pk=found.pk)
    _viewed(request, found, "story", story=told.pk)
    return render(
        request,
        "listening/stories/story.html",
        {"collection": found, "story": told, "form": form},
    )


@manage
def theme_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _collection(request, pk)
    form = ThemeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        theme = actions.create_theme(found, by=signed_in_user(request), **form.cleaned_data)
        messages.success(request, _("Theme added. Tag stories with it as you read them."))
        return redirect("listening:stories-theme", pk=found.pk, theme=theme.pk)
    return render(request, "listening/stories/theme_form.html", {"form": form, "collection": found})


@manage
def theme(request: HttpRequest, pk: int, theme: int) -> HttpResponse:
    found = _collection(request, pk)
    chosen = selectors.theme_of(found, theme)
    if chosen is None:
        raise Http404
    choices = selectors.proposal_choices(found.council)
    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"title": chosen.name, "text": chosen.description},
    )
    if request.method == "POST" and form.is_valid():
        sink, target = form.target()
        try:
            url = actions.propose_theme(
                chosen,
                by=signed_in_user(request),
                sink=sink,
                target=target,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
        except actions.StoryError as exc:
            form.add_error("where", str(exc))
        else:
            messages.success(request, _("Done: it is waiting to be checked like any other."))
            return redirect(url)
    stories = list(chosen.stories.all())
    _viewed(request, found, "theme", theme=chosen.pk, stories=len(stories))
    return render(
        request,
        "listening/stories/theme.html",
        {
            "collection": found,
            "theme": chosen,
            "stories": stories,
            "evidence": selectors.evidence_for(chosen),
            "form": form if choices else None,
        },
    )


@manage
def suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    found = _collection(request, pk)
    if request.method == "POST":
        actions.start_grouping(found, by=signed_in_user(request))
        messages.success(request, _("Looking for groupings. This page shows the progress."))
        return redirect("listening:stories-suggestions", pk=found.pk)
    rows = selectors.open_suggestions(found)
    _viewed(request, found, "suggestions", suggestions=len(rows))
    job = selectors.grouping_job(found)
    return render(
        request,
        "listening/stories/suggestions.html",
        {"collection": found, "rows": rows, "job": job},
    )


@require_POST
@manage
def suggestion(request: HttpRequest, pk: int, suggestion: int) -> HttpResponse:
    found = _collection(request, pk)
    chosen = selectors.suggestion_of(found, suggestion)
    if chosen is None:
        raise Http404
    user = signed_in_user(request)
    if request.POST.get("answer") == "accept":
        name = request.POST.get("name", "").strip() or chosen.label
        theme = actions.accept_suggestion(chosen, by=user, name=name[:120])
        messages.success(request, _("Theme added with its stories."))
        return redirect("listening:stories-theme", pk=found.pk, theme=theme.pk)
    actions.ignore_suggestion(chosen, by=user)
    messages.success(request, _("Suggestion ignored."))
    return redirect("listening:stories-suggestions", pk=found.pk)
