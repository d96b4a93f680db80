"""A signed-in person's own things: their notifications, what they follow, how they hear."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core.notices import describe_subject
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.listening import actions, adapter, selectors
from changemaker.listening.forms import FollowForm, HowForm, PreferencesForm, WardForm
from changemaker.listening.models import Follow
from changemaker.listening.views.shared import SIGNED_IN, language, safe_next

PAGE_SIZE = 50


@council_permission(SIGNED_IN)
def notifications(request: HttpRequest) -> HttpResponse:
    council, user = current_council(request), signed_in_user(request)
    if request.method == "POST":
        count = actions.mark_read(user, council)
        messages.success(request, _("Marked %(count)s as read.") % {"count": count})
        return redirect("listening:notifications")
    page = Paginator(selectors.own_notifications(user, council), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(n, adapter.words(n.notice)) for n in page]
    return render(
        request,
        "listening/notifications.html",
        {"page": page, "rows": rows, "unread": selectors.unread_count(user, council)},
    )


@require_POST
@council_permission(SIGNED_IN)
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    actions.mark_read(signed_in_user(request), current_council(request), ids=[pk])
    return redirect("listening:notifications")


@council_permission(SIGNED_IN)
def following(request: HttpRequest) -> HttpResponse:
    council, user = current_council(request), signed_in_user(request)
    wards = selectors.followable_wards(council)
    form = WardForm(request.POST if request.method == "POST" else None, wards=wards)
    if request.method == "POST" and form.is_valid():
        actions.follow(user, council, form.cleaned_data["ward"], language=language())
        messages.success(request, _("You now follow this ward."))
        return redirect("listening:following")
    return render(
        request,
        "listening/following.html",
        {"rows": selectors.own_follows(user, council), "form": form},
    )


@require_POST
@council_permission(SIGNED_IN)
def follow(request: HttpRequest) -> HttpResponse:
    """The Follow button (core's template tag posts here): follow, then go back."""
    council, user = current_council(request), signed_in_user(request)
    form = FollowForm(request.POST)
    if not form.is_valid():
        raise Http404
    back = safe_next(request, form.cleaned_data["next"], reverse("listening:following"))
    try:
        actions.follow(user, council, form.cleaned_data["subject"], language=language())
    except actions.ListeningError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    named = describe_subject(council, form.cleaned_data["subject"])
    messages.success(
        request,
        _("You now follow %(title)s. Choose how you hear on the ‘What you follow’ page.")
        % {"title": named[0] if named else ""},
    )
    return redirect(back)


def _own_follow(request: HttpRequest, pk: int) -> Follow:
    found = selectors.own_follow(signed_in_user(request), current_council(request), pk)
    if found is None:
        raise Http404
    return found


@council_permission(SIGNED_IN)
def follow_change(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_follow(request, pk)
    named = describe_subject(current_council(request), found.subject)
    form = HowForm(request.POST if request.method == "POST" else None, initial={"how": found.how})
    if request.method == "POST" and form.is_valid():
        actions.change_follow(found, how=form.cleaned_data["how"])
        messages.success(request, _("Saved how you hear about this."))
        return redirect("listening:following")
    return render(
        request,
        "listening/follow_change.html",
        {"form": form, "follow": found, "title": named[0] if named else ""},
    )


@require_POST
@council_permission(SIGNED_IN)
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    actions.unfollow(_own_follow(request, pk))
    messages.success(request, _("You no longer follow this."))
    return redirect("listening:following")


@council_permission(SIGNED_IN)
def preferences(request: HttpRequest) -> HttpResponse:
    council, user = current_council(request), signed_in_user(request)
    kinds = selectors.direct_kinds()
    pref = selectors.preference_of(user)
    initial: dict[str, str] = {"emails": "yes" if pref is None or pref.emails else "no"}
    for kind, _label in kinds:
        initial[PreferencesForm.field_name(kind)] = pref.how_for(kind) if pref else "at_once"
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, kinds=kinds, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        actions.save_preferences(
            user,
            council,
            own=form.own(),
            emails=form.cleaned_data["emails"] == "yes",
            language=language(),
        )
        messages.success(request, _("Your choices have been saved."))
        return redirect("listening:preferences")
    return render(request, "listening/preferences.html", {"form": form})
