"""Council staff run the open self-evaluation: start a cycle (blank, or the LGA's questions),
write the council's rating, evidence and reply per criterion, open it for residents' ratings,
check comments (a hidden comment's rating still counts), close and publish."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.listening import actions, selectors
from changemaker.listening.engine.ratings import MIN_RATINGS
from changemaker.listening.forms import CriterionForm, ModerateForm, ScorecardForm
from changemaker.listening.models import Criterion, ResidentRating, Scorecard

MANAGE = "listening.manage_scorecards"
MOVES = {
    "open": (actions.open_scorecard, gettext_lazy("Opened for residents' ratings.")),
    "close": (actions.close_scorecard, gettext_lazy("Ratings are closed.")),
    "publish": (
        actions.publish_scorecard,
        gettext_lazy("Published. Its figures are frozen as they are now."),
    ),
}


@council_permission(MANAGE)
def manage(request: HttpRequest) -> HttpResponse:
    cards = selectors.scorecards_for_staff(current_council(request))
    return render(request, "listening/scorecards/manage.html", {"cards": cards})


@council_permission(MANAGE)
def new(request: HttpRequest) -> HttpResponse:
    form = ScorecardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        card = actions.create_scorecard(
            current_council(request),
            title=data["title"],
            title_cy=data["title_cy"],
            period=data["period"],
            lga=data["start"] == "lga",
            by=signed_in_user(request),
        )
        messages.success(request, _("Self-evaluation started as a draft."))
        return redirect("listening:scorecard-manage", slug=card.slug)
    return render(request, "listening/scorecards/new.html", {"form": form})


@council_permission(MANAGE)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    card = selectors.scorecard(current_council(request), slug)
    waiting = (
        selectors.comments_to_moderate(card)
        .filter(moderation=ResidentRating.Moderation.WAITING)
        .count()
    )
    return render(
        request,
        "listening/scorecards/manage_one.html",
        {
            "card": card,
            "rows": selectors.score_rows(card, live=card.status != Scorecard.Status.PUBLISHED),
            "waiting": waiting,
            "minimum": MIN_RATINGS,
        },
    )


@require_POST
@council_permission(MANAGE)
def move(request: HttpRequest, slug: str) -> HttpResponse:
    """Open for ratings, close, or publish (the button's ``to``)."""
    card = selectors.scorecard(current_council(request), slug)
    found = MOVES.get(request.POST.get("to", ""))
    if found is None:
        raise Http404
    act, done = found
    try:
        act(card, by=signed_in_user(request))
    except actions.ListeningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("listening:scorecard-manage", slug=card.slug)


def _criterion_page(request: HttpRequest, card: Scorecard, criterion: Criterion) -> HttpResponse:
    if card.status == Scorecard.Status.PUBLISHED:
        messages.error(request, _("This self-evaluation is published: it can no longer change."))
        return redirect("listening:scorecard-manage", slug=card.slug)
    form = CriterionForm(
        request.POST if request.method == "POST" else None,
        instance=criterion,
        figures=selectors.figure_choices(card.council),
        words_fixed=card.status != Scorecard.Status.DRAFT,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_criterion(form.save(commit=False), by=signed_in_user(request))
        except actions.ListeningError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Criterion saved."))
            return redirect("listening:scorecard-manage", slug=card.slug)
    return render(
        request,
        "listening/scorecards/criterion.html",
        {"card": card, "form": form, "criterion": criterion},
    )


@council_permission(MANAGE)
def criterion_new(request: HttpRequest, slug: str) -> HttpResponse:
    card = selectors.scorecard(current_council(request), slug)
    return _criterion_page(request, card, Criterion(scorecard=card))


@council_permission(MANAGE)
def criterion(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.criterion_for_staff(current_council(request), pk)
    return _criterion_page(request, found.scorecard, found)


@council_permission(MANAGE)
def comments(request: HttpRequest, slug: str) -> HttpResponse:
    card = selectors.scorecard(current_council(request), slug)
    return render(
        request,
        "listening/scorecards/comments.html",
        {
            "card": card,
            "comments": selectors.comments_to_moderate(card),
            "reasons": selectors.HIDE_REASONS,
        },
    )


@council_permission(MANAGE)
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.rating_for_staff(current_council(request), pk)
    card = found.criterion.scorecard
    form = ModerateForm(
        request.POST if request.method == "POST" else None,
        reasons=selectors.HIDE_REASONS,
        initial={"decision": {"shown": "show", "hidden": "hide"}.get(found.moderation)},
    )
    if request.method == "POST" and form.is_valid():
        show = form.cleaned_data["decision"] == "show"
        actions.moderate_comment(
            found, show=show, reason=form.cleaned_data["reason"], by=signed_in_user(request)
        )
        messages.success(request, _("Comment shown.") if show else _("Comment hidden."))
        return redirect("listening:scorecard-comments", slug=card.slug)
    return render(
        request,
        "listening/scorecards/comment.html",
        {"card": card, "rating": found, "form": form},
    )
