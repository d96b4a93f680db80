"""Free-text comments: the survey lead reads those the name check flagged and decides which
are shown (for the whole organisation only, on the results page). Once the wave is closed."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.culture import actions, selectors
from changemaker.culture.forms import CommentReviewForm
from changemaker.culture.models import Comment, Wave

RUN = "culture.run_surveys"


def _page(
    request: HttpRequest, wave: Wave, forms: dict[UUID, CommentReviewForm] | None = None
) -> HttpResponse:
    found = selectors.comments_to_review(wave, by=signed_in_user(request))
    forms = forms or {}
    context = {
        "wave": wave,
        "comments": [(c, forms.get(c.pk) or CommentReviewForm(prefix=str(c.pk))) for c in found],
        "waiting": sum(1 for c in found if c.status == Comment.Status.FLAGGED),
        "form": next(iter(forms.values()), None),  # the error summary of a refused decision
    }
    return render(request, "culture/staff/comments.html", context)


@council_permission(RUN)
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.wave(current_council(request), pk))


@council_permission(RUN)
@require_POST
def review_comment(request: HttpRequest, pk: int, comment: UUID) -> HttpResponse:
    wave = selectors.wave(current_council(request), pk)
    found = selectors.comment(wave, str(comment))
    form = CommentReviewForm(request.POST, prefix=str(found.pk))
    if not form.is_valid():
        return _page(request, wave, {found.pk: form})
    show = form.cleaned_data["decision"] == "show"
    actions.review_comment(found, show=show, by=signed_in_user(request))
    messages.success(
        request,
        _("The comment will be shown with the results.")
        if show
        else _("The comment will not be shown."),
    )
    return redirect("culture:comments", pk)
