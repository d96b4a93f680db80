"""Coordinators: safeguarding concerns, read by the safeguarding lead only
(:func:`changemaker.support.rules.is_safeguarding_lead`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.models import Council, User
from changemaker.core.views.base import council_permission
from changemaker.support import actions, rules, selectors
from changemaker.support.forms import CloseConcernForm
from changemaker.support.models import SafeguardingConcern
from changemaker.support.views.shared import COORDINATE, me


def _lead_only(request: HttpRequest) -> tuple[User, Council]:
    user, council = me(request)
    if not rules.is_safeguarding_lead(user, council):
        raise PermissionDenied
    return user, council


@council_permission(COORDINATE)
def concerns(request: HttpRequest) -> HttpResponse:
    user, council = _lead_only(request)
    rows = selectors.concerns(council)
    audit.record("support.concerns.listed", actor=user, council=council, reason="safeguarding")
    return render(request, "support/staff/concerns.html", rows)


@council_permission(COORDINATE)
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, council = _lead_only(request)
    concern = get_object_or_404(SafeguardingConcern, council=council, pk=pk)
    audit.record(
        "support.concern.viewed", actor=user, council=council, obj=concern, reason="safeguarding"
    )
    form = CloseConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.close_concern(concern, by=user, notes=form.cleaned_data["notes"])
        messages.success(request, _("Concern closed"))
        return redirect("support:concerns")
    return render(request, "support/staff/concern.html", {"c": concern, "form": form})
