"""Coordinators: volunteers (list, add one, their record, status, DBS checks, training)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.views.base import council_permission, signed_in_user
from changemaker.support import actions, rules, selectors
from changemaker.support.errors import NeedsConfirming, SupportError
from changemaker.support.forms import StaffVolunteerForm, StatusForm, TrainingForm, VettingForm
from changemaker.support.models import Volunteer
from changemaker.support.views.shared import COORDINATE, me, paginate, visible_volunteer


@council_permission(COORDINATE)
def volunteer_list(request: HttpRequest) -> HttpResponse:
    user, council = me(request)
    status = request.GET.get("status", "")
    rows = selectors.visible_volunteers(user, council).select_related("ward", "organisation")
    if status in Volunteer.Status.values:
        rows = rows.filter(status=status)
    rows, ward = selectors.by_ward(rows, council, request.GET.get("ward", ""))
    audit.record(
        "support.volunteers.listed",
        actor=user,
        council=council,
        reason="coordination",
        status=status,
    )
    return render(
        request,
        "support/staff/volunteers.html",
        {
            **paginate(request, rows),
            "status": status,
            "statuses": Volunteer.Status.choices,
            "ward": ward,
            "wards": council.wards.all(),
        },
    )


@council_permission(COORDINATE)
def volunteer_new(request: HttpRequest) -> HttpResponse:
    user, council = me(request)
    scope = rules.partner_scope(user, council)
    partners = selectors.partners(council)
    if scope is not None:
        partners = [p for p in partners if p.pk in scope]
    form = StaffVolunteerForm(request.POST or None, partners=partners)
    if scope is not None:
        # A partner's coordinator adds volunteers to their own organisation only.
        form.fields["organisation"].choices = [(str(p.pk), p.name) for p in partners]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.sign_up_volunteer(council, user=None, by=user, **form.cleaned_data)
        except SupportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Volunteer added. Record their checks next."))
            return redirect("support:volunteer-detail", pk=person.pk)
    return render(request, "support/staff/volunteer_new.html", {"form": form})


@council_permission(COORDINATE)
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = visible_volunteer(request, pk)
    user, council = me(request)
    audit.record(
        "support.volunteer.viewed", actor=user, council=council, obj=person, reason="coordination"
    )
    return render(
        request,
        "support/staff/volunteer.html",
        {
            "v": person,
            "vetting": person.current_vetting(),
            "usable": person.usable_skills(),
            "hours": selectors.hours_logged(person),
            "matches": selectors.volunteer_matches(user, council, person),
            "moves": [
                (s, Volunteer.Status(s).label) for s in sorted(actions.ALLOWED_MOVES[person.status])
            ],
        },
    )


def _volunteer_record_page(
    request: HttpRequest,
    pk: int,
    form: forms.Form,
    save: Callable[..., object],
    *,
    title: str,
    done: str,
    error_field: Callable[[str], str | None] = lambda message: None,
) -> HttpResponse:
    """A coordinator's form about one volunteer: save through an action, then back to them."""
    person = visible_volunteer(request, pk)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, by=signed_in_user(request), **form.cleaned_data)
        except NeedsConfirming as exc:
            assert isinstance(form, VettingForm)  # the only form whose action asks
            form.ask_to_confirm(str(exc))
        except SupportError as exc:
            form.add_error(error_field(str(exc)), str(exc))
        else:
            messages.success(request, done)
            return redirect("support:volunteer-detail", pk=pk)
    return render(
        request, "support/staff/volunteer_form.html", {"form": form, "v": person, "title": title}
    )


@council_permission(COORDINATE)
def volunteer_status(request: HttpRequest, pk: int) -> HttpResponse:
    person = visible_volunteer(request, pk)
    form = StatusForm(request.POST or None)
    form.fields["status"].choices = [  # type: ignore[attr-defined]
        (s, Volunteer.Status(s).label) for s in sorted(actions.ALLOWED_MOVES[person.status])
    ]
    return _volunteer_record_page(
        request,
        pk,
        form,
        actions.change_volunteer_status,
        title=_("Change status"),
        done=_("Status changed"),
        error_field=lambda message: "reason" if "reason" in message.lower() else None,
    )


@council_permission(COORDINATE)
def volunteer_vetting(request: HttpRequest, pk: int) -> HttpResponse:
    return _volunteer_record_page(
        request,
        pk,
        VettingForm(request.POST or None),
        actions.record_vetting,
        title=_("Record a DBS check"),
        done=_("Vetting recorded"),
        error_field=lambda message: "issued_on" if "issue date" in message else "expires_on",
    )


@council_permission(COORDINATE)
def volunteer_training(request: HttpRequest, pk: int) -> HttpResponse:
    return _volunteer_record_page(
        request,
        pk,
        TrainingForm(request.POST or None),
        actions.record_training,
        title=_("Record training"),
        done=_("Training recorded"),
    )
