"""Coordinators: the overview, running the matcher, and confirming what it proposes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core import actions as core_actions
from changemaker.core import audit
from changemaker.core.views.base import council_permission, signed_in_user
from changemaker.support import actions, rules, selectors
from changemaker.support.errors import SupportError
from changemaker.support.forms import HoursForm
from changemaker.support.models import Match
from changemaker.support.views.shared import COORDINATE, PAGE_SIZE, me, paginate, visible_match


@council_permission(COORDINATE)
def dashboard(request: HttpRequest) -> HttpResponse:
    user, council = me(request)
    return render(request, "support/staff/dashboard.html", selectors.dashboard(user, council))


@require_POST
@council_permission(COORDINATE)
def match_run(request: HttpRequest) -> HttpResponse:
    user, council = me(request)
    core_actions.start_job(
        "support.match",
        title=_("Match volunteers to requests"),
        params={"scope": rules.partner_scope(user, council)},
        council=council,
        by=user,
    )
    messages.success(request, _("The matcher has started. Proposals appear here when it finishes."))
    return redirect("support:proposals")


@council_permission(COORDINATE)
def proposals(request: HttpRequest) -> HttpResponse:
    user, council = me(request)
    proposed = (
        selectors.visible_matches(user, council)
        .filter(status=Match.Status.PROPOSED)
        .select_related("request", "volunteer")
    )
    job = selectors.match_jobs(council, user).first()
    unmatched = selectors.unmatched(job, selectors.visible_requests(user, council))
    audit.record("support.proposals.viewed", actor=user, council=council, reason="coordination")
    return render(
        request,
        "support/staff/proposals.html",
        {**paginate(request, proposed), "job": job, "unmatched": unmatched[:PAGE_SIZE]},
    )


@require_POST
@council_permission(COORDINATE)
def match_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    match = visible_match(request, pk)
    try:
        actions.confirm_match(match, by=signed_in_user(request))
        messages.success(request, _("Confirmed. The volunteer has been asked to accept."))
    except SupportError as exc:
        messages.error(request, str(exc))
    return redirect("support:proposals")


@require_POST
@council_permission(COORDINATE)
def match_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    match = visible_match(request, pk)
    try:
        actions.withdraw_match(match, by=signed_in_user(request))
        messages.success(request, _("Match withdrawn"))
    except SupportError as exc:
        messages.error(request, str(exc))
    return redirect("support:request", pk=match.request_id)


@require_POST
@council_permission(COORDINATE)
def match_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the answer a volunteer without an account gave on the phone."""
    match = visible_match(request, pk)
    answer = request.POST.get("answer")
    if answer in {"accept", "decline"}:
        try:
            actions.respond_to_match(
                match, by=signed_in_user(request), accept=answer == "accept", on_behalf=True
            )
            messages.success(request, _("Answer recorded"))
        except SupportError as exc:
            messages.error(request, str(exc))
    return redirect("support:request", pk=match.request_id)


@council_permission(COORDINATE)
def match_complete(request: HttpRequest, pk: int) -> HttpResponse:
    match = visible_match(request, pk)
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.complete_match(
                match, by=signed_in_user(request), hours=form.cleaned_data["hours"]
            )
        except SupportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Marked as done and hours recorded"))
            return redirect("support:request", pk=match.request_id)
    return render(request, "support/staff/complete.html", {"form": form, "match": match})
