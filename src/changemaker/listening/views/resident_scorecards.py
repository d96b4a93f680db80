"""A resident rates the criteria of a self-evaluation open for ratings: once per criterion,
and may change their ratings until ratings close (the form shows what they gave)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from changemaker.core import throttle
from changemaker.core.bilingual import text
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.listening import actions, criteria_bank, selectors
from changemaker.listening.forms import COMMENT_MAX, RatingForm
from changemaker.listening.models import Scorecard

RATE = "listening.rate_scorecards"


@council_permission(RATE)
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    council, user = current_council(request), signed_in_user(request)
    card = selectors.scorecard(council, slug)
    if card.status != Scorecard.Status.OPEN:
        return render(request, "listening/scorecards/not_open.html", {"card": card})
    mine = selectors.own_ratings(user, card)
    initial: dict[str, str] = {}
    for pk, found in mine.items():
        initial |= {f"rating_{pk}": str(found.rating), f"comment_{pk}": found.comment}
    criteria = list(card.criteria.all())
    form = RatingForm(
        request.POST if request.method == "POST" else None,
        criteria=[(c, text(c, "text")) for c in criteria],
        initial=initial,
    )
    if request.method == "POST":
        throttle.hit("listening.rate", user.pk, council=council)
        if form.is_valid():
            try:
                actions.rate(user, card, form.given())
            except actions.ListeningError as exc:
                messages.error(request, str(exc))
                return redirect("listening:scorecard-rate", slug=card.slug)
            messages.success(
                request,
                _("Thank you: your ratings are saved. You can change them until ratings close."),
            )
            return redirect("listening:scorecard-rate", slug=card.slug)
    rows = [(c, form[f"rating_{c.pk}"], form[f"comment_{c.pk}"], mine.get(c.pk)) for c in criteria]
    return render(
        request,
        "listening/scorecards/rate.html",
        {
            "card": card,
            "form": form,
            "rows": rows,
            "rated": bool(mine),
            "comment_max": COMMENT_MAX,
            "attribution": criteria_bank.ATTRIBUTION,
        },
    )
