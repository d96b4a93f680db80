"""Coordinators: help requests (list, record one taken by phone, triage, cancel, concerns)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core import audit
from changemaker.core.views.base import council_permission, signed_in_user
from changemaker.support import actions, rules, selectors
from changemaker.support.errors import SupportError
from changemaker.support.forms import ConcernForm, StaffRequestForm, TriageForm
from changemaker.support.models import HelpRequest, PartnerOrganisation
from changemaker.support.views.shared import COORDINATE, me, paginate, visible_request


@council_permission(COORDINATE)
def request_list(request: HttpRequest) -> HttpResponse:
    user, council = me(request)
    status = request.GET.get("status", "open")
    rows = selectors.visible_requests(user, council).select_related("ward", "organisation")
    if status == "open":
        rows = rows.filter(status__in=HelpRequest.OPEN)
    elif status in HelpRequest.Status.values:
        rows = rows.filter(status=status)
    rows, ward = selectors.by_ward(rows, council, request.GET.get("ward", ""))
    audit.record(
        "support.requests.listed", actor=user, council=council, reason="coordination", status=status
    )
    return render(
        request,
        "support/staff/requests.html",
        {
            **paginate(request, rows),
            "status": status,
            "statuses": HelpRequest.Status.choices,
            "ward": ward,
            "wards": council.wards.all(),
        },
    )


@council_permission(COORDINATE)
def request_new(request: HttpRequest) -> HttpResponse:
    user, council = me(request)
    form = StaffRequestForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        scope = rules.partner_scope(user, council)
        organisation = PartnerOrganisation.objects.get(pk=scope[0]) if scope is not None else None
        try:
            created = actions.submit_help_request(
                council, by=user, organisation=organisation, triaged=True, **form.cleaned_data
            )
        except SupportError as exc:
            form.add_error("postcode", str(exc))
        else:
            messages.success(request, _("Request recorded and ready to match"))
            return redirect("support:request", pk=created.pk)
    return render(request, "support/staff/request_new.html", {"form": form})


@council_permission(COORDINATE)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = visible_request(request, pk)
    user, council = me(request)
    audit.record(
        "support.request.viewed",
        actor=user,
        council=council,
        obj=help_request,
        reason="coordination",
    )
    return render(
        request,
        "support/staff/request.html",
        selectors.request_page(user, council, help_request),
    )


@council_permission(COORDINATE)
def request_triage(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = visible_request(request, pk)
    form = TriageForm(
        request.POST or None,
        initial={
            "urgency": help_request.urgency,
            "needs": help_request.needs,
            "needed_on": help_request.needed_on,
            "vetting_required": help_request.vetting_required,
            "safeguarding_flags": help_request.safeguarding_flags,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.triage_request(help_request, by=signed_in_user(request), **form.cleaned_data)
        except SupportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Triage saved. The request is ready to match."))
            return redirect("support:request", pk=pk)
    return render(request, "support/staff/triage.html", {"form": form, "r": help_request})


@require_POST
@council_permission(COORDINATE)
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = visible_request(request, pk)
    try:
        actions.cancel_request(help_request, by=signed_in_user(request))
        messages.success(request, _("Request cancelled"))
    except SupportError as exc:
        messages.error(request, str(exc))
    return redirect("support:request", pk=pk)


@council_permission(COORDINATE)
def request_concern(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = visible_request(request, pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.raise_concern(
            help_request.council,
            by=signed_in_user(request),
            request=help_request,
            **form.cleaned_data,
        )
        messages.success(request, _("Concern sent to the safeguarding lead"))
        return redirect("support:request", pk=pk)
    return render(request, "support/concern_form.html", {"form": form})
