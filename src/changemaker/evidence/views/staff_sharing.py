"""Subscriptions to other councils' practice-card feeds (staff): subscribe with the feed's
address and public key, see each feed's status and imported cards, check one now, replicate
an imported card's design."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.evidence import actions, selectors
from changemaker.evidence.forms import SubscriptionForm


@council_permission("evidence.manage")
def subscriptions(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = actions.subscribe(
                council,
                url=form.cleaned_data["url"],
                public_key=form.cleaned_data["public_key"],
                by=signed_in_user(request),
            )
        except actions.ActionRefused as exc:
            form.add_error("url", str(exc))
        else:
            job = actions.start_feed_check(found, by=signed_in_user(request))
            messages.success(request, _("Subscribed. The feed is being checked now."))
            return redirect("core:job", job_id=job.pk)
    context = {"form": form, "subscriptions": selectors.subscriptions(council)}
    return render(request, "evidence/staff/subscriptions.html", context)


@council_permission("evidence.manage")
def subscription(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subscription(current_council(request), pk)
    context = {"subscription": found, "cards": found.cards.order_by("title")}
    return render(request, "evidence/staff/subscription.html", context)


@require_POST
@council_permission("evidence.manage")
def subscription_check(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subscription(current_council(request), pk)
    job = actions.start_feed_check(found, by=signed_in_user(request))
    return redirect("core:job", job_id=job.pk)


@require_POST
@council_permission("evidence.manage")
def unsubscribe(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subscription(current_council(request), pk)
    actions.unsubscribe(found, by=signed_in_user(request))
    messages.success(request, _("Unsubscribed. Its cards are no longer shown or pooled."))
    return redirect("evidence:staff-subscriptions")


@require_POST
@council_permission("evidence.manage")
def replicate_shared(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Replicate this pilot" from another council's card."""
    council = current_council(request)
    source = selectors.shared_card(council, pk)
    try:
        pilot = actions.replicate_shared(source, council=council, by=signed_in_user(request))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("evidence:staff-subscription", pk=source.subscription_id)
    messages.success(
        request,
        _(
            "The design is copied into a new planned pilot. Set where it runs, its cost and size, "
            "then register it."
        ),
    )
    return redirect("evidence:staff-edit", slug=pilot.slug)
