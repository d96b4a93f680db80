"""A signed-in person's own things: their help requests, signing up to volunteer, and the
requests they were matched with."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.support import actions, selectors
from changemaker.support.errors import SupportError
from changemaker.support.forms import (
    ConcernForm,
    DeclineForm,
    HoursForm,
    MessageForm,
    StatusForm,
    VolunteerForm,
)
from changemaker.support.models import Match, Volunteer
from changemaker.support.views.shared import SIGNED_IN, store, stored, summary

SIGN_UP = "support.sign_up"  # session key: what someone typed, until they confirm it


@council_permission(SIGNED_IN)
def my_requests(request: HttpRequest) -> HttpResponse:
    rows = selectors.own_requests(signed_in_user(request), current_council(request))
    return render(request, "support/my_requests.html", {"rows": rows})


@council_permission(SIGNED_IN)
def my_request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one of your own requests: a page that asks first, then a button (no JavaScript)."""
    user, council = signed_in_user(request), current_council(request)
    help_request = get_object_or_404(selectors.own_open_requests(user, council), pk=pk)
    if request.method == "POST":
        try:
            actions.cancel_request(help_request, by=user, as_requester=True)
        except SupportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Request cancelled. Anyone who was coming to help has been told.")
            )
        return redirect("support:my-requests")
    return render(request, "support/cancel.html", {"r": help_request})


@council_permission(SIGNED_IN)
def volunteer(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    user = signed_in_user(request)
    if selectors.own_volunteer(user, council) is not None:
        return redirect("support:my-volunteering")
    partners = selectors.partners(council)
    if request.method == "POST":
        form = VolunteerForm(request.POST, partners=partners)
        if form.is_valid():
            store(request, SIGN_UP)
            return redirect("support:volunteer-check")
    else:
        typed = stored(request, SIGN_UP)
        first, _space, last = user.name.partition(" ")
        form = (
            VolunteerForm(typed, partners=partners)
            if typed
            else VolunteerForm(partners=partners, initial={"first_name": first, "last_name": last})
        )
    return render(request, "support/volunteer.html", {"form": form})


@council_permission(SIGNED_IN)
def volunteer_check(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    typed = stored(request, SIGN_UP)
    form = VolunteerForm(typed, partners=selectors.partners(council))
    if typed is None or not form.is_valid():
        return redirect("support:volunteer")
    if request.method == "POST":
        user = signed_in_user(request)
        try:
            actions.sign_up_volunteer(
                council, user=user, by=user, email=user.email, **form.cleaned_data
            )
        except SupportError as exc:
            messages.error(request, str(exc))
            return redirect("support:volunteer")
        del request.session[SIGN_UP]
        messages.success(
            request, _("Thank you for signing up. A coordinator will contact you about checks.")
        )
        return redirect("support:my-volunteering")
    return render(
        request, "support/check.html", {"rows": summary(form), "change": "support:volunteer"}
    )


def _own_volunteer(request: HttpRequest) -> Volunteer | None:
    return selectors.own_volunteer(signed_in_user(request), current_council(request))


@council_permission(SIGNED_IN)
def my_volunteering(request: HttpRequest) -> HttpResponse:
    return render(
        request, "support/my_volunteering.html", selectors.volunteering(_own_volunteer(request))
    )


@council_permission(SIGNED_IN)
def my_status(request: HttpRequest) -> HttpResponse:
    """Volunteers take a break, come back or stop, with a reason for their coordinator."""
    me = _own_volunteer(request)
    if me is None or me.status not in {Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED}:
        return redirect("support:my-volunteering")
    form = StatusForm(request.POST or None)
    form.fields["status"].label = _("What would you like to do?")
    form.fields["status"].choices = [  # type: ignore[attr-defined]
        (Volunteer.Status.PAUSED, _("Take a break"))
        if me.status == Volunteer.Status.ACTIVE
        else (Volunteer.Status.ACTIVE, _("Start volunteering again")),
        (Volunteer.Status.LEFT, _("Stop volunteering")),
    ]
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_volunteer_status(me, by=signed_in_user(request), **form.cleaned_data)
        except SupportError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, _("Thank you. Your coordinator has been told."))
            return redirect("support:my-volunteering")
    return render(request, "support/my_status.html", {"form": form})


def _own_match(request: HttpRequest, pk: int) -> Match:
    matches = selectors.own_matches(signed_in_user(request), current_council(request))
    return get_object_or_404(matches, pk=pk)


@require_POST
@council_permission(SIGNED_IN)
def match_accept(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    try:
        actions.respond_to_match(match, by=signed_in_user(request), accept=True)
        messages.success(request, _("Thank you. The resident has been told you are coming."))
    except SupportError as exc:
        messages.error(request, str(exc))
    return redirect("support:my-volunteering")


@council_permission(SIGNED_IN)
def match_decline(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.respond_to_match(
                match, by=signed_in_user(request), accept=False, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Thank you for letting us know."))
        except SupportError as exc:
            messages.error(request, str(exc))
        return redirect("support:my-volunteering")
    return render(request, "support/decline.html", {"form": form, "match": match})


@council_permission(SIGNED_IN)
def match_done(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.complete_match(
                match, by=signed_in_user(request), hours=form.cleaned_data["hours"]
            )
        except SupportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you. Your hours have been recorded."))
            return redirect("support:my-volunteering")
    return render(request, "support/done.html", {"form": form, "match": match})


@council_permission(SIGNED_IN)
def match_message(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.message_coordinator(
            match, by=signed_in_user(request), body=form.cleaned_data["body"]
        )
        messages.success(request, _("Message sent to your coordinator"))
        return redirect("support:my-volunteering")
    return render(request, "support/message.html", {"form": form})


@council_permission(SIGNED_IN)
def match_concern(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.raise_concern(
            match.request.council,
            by=signed_in_user(request),
            request=match.request,
            volunteer=match.volunteer,
            **form.cleaned_data,
        )
        messages.success(request, _("Thank you. The safeguarding lead has been told."))
        return redirect("support:my-volunteering")
    return render(request, "support/concern_form.html", {"form": form})
