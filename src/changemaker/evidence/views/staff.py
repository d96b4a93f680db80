"""The pilot register (evidence leads and council administrators): add, edit, register
(version 1 frozen, the minimum detectable effect computed), move through the statuses."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core import audit
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.core.views.downloads import csv_download
from changemaker.evidence import actions, registry, selectors
from changemaker.evidence.forms import PilotForm
from changemaker.evidence.models import Pilot
from changemaker.evidence.views.shared import result_context


@council_permission("evidence.manage")
def register_list(request: HttpRequest) -> HttpResponse:
    pilots = selectors.council_pilots(current_council(request))
    return render(request, "evidence/staff/list.html", {"pilots": pilots})


@council_permission("evidence.manage")
def pilot_new(request: HttpRequest) -> HttpResponse:
    form = PilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pilot = actions.create_pilot(
                form.save(commit=False),
                council=current_council(request),
                by=signed_in_user(request),
            )
        except actions.ActionRefused as exc:
            form.add_error("slug", str(exc))
        else:
            messages.success(request, _("Pilot added. Register it when the plan is ready."))
            return redirect("evidence:staff-pilot", slug=pilot.slug)
    return render(request, "evidence/staff/pilot_form.html", {"form": form, "pilot": None})


@council_permission("evidence.manage")
def pilot_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pilot = selectors.council_pilot(current_council(request), slug)
    context = {
        "pilot": pilot,
        "versions": pilot.versions.all(),
        "datasets": pilot.datasets.all(),
        "analyses": pilot.analyses.all(),
        "changes": selectors.primary_outcome_changed(pilot),
        "can_rate": request.user.has_perm("evidence.rate", pilot.council),
        **result_context(pilot, selectors.latest_analysis(pilot)),
    }
    return render(request, "evidence/staff/pilot.html", context)


@council_permission("evidence.manage")
def pilot_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the plan; after registration the change is saved as a new version."""
    pilot = selectors.council_pilot(current_council(request), slug)
    form = PilotForm(request.POST or None, instance=pilot, editing=True)
    if request.method == "POST" and form.is_valid():
        version = actions.update_pilot(form.save(commit=False), by=signed_in_user(request))
        if version is not None:
            messages.success(
                request,
                _("Saved as version %(number)s. The registered plan is kept as it was.")
                % {"number": version.number},
            )
        else:
            messages.success(request, _("Pilot saved."))
        return redirect("evidence:staff-pilot", slug=pilot.slug)
    return render(request, "evidence/staff/pilot_form.html", {"form": form, "pilot": pilot})


@require_POST
@council_permission("evidence.manage")
def pilot_register(request: HttpRequest, slug: str) -> HttpResponse:
    pilot = selectors.council_pilot(current_council(request), slug)
    try:
        actions.register_pilot(pilot, by=signed_in_user(request))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registered: version 1 of the plan is frozen."))
    return redirect("evidence:staff-pilot", slug=pilot.slug)


@require_POST
@council_permission("evidence.manage")
def pilot_status(request: HttpRequest, slug: str) -> HttpResponse:
    pilot = selectors.council_pilot(current_council(request), slug)
    try:
        actions.advance_status(pilot, by=signed_in_user(request))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The pilot is now %(status)s.") % {"status": pilot.get_status_display()}
        )
    return redirect("evidence:staff-pilot", slug=pilot.slug)


@require_POST
@council_permission("evidence.manage")
def replicate(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Replicate this pilot" from one of the council's practice cards: its design copied
    into the register as a new planned pilot, to adapt and register."""
    council = current_council(request)
    source = selectors.published_pilot(council, slug)
    pilot = actions.replicate_pilot(source, council=council, by=signed_in_user(request))
    messages.success(
        request,
        _(
            "The design is copied into a new planned pilot. Set where it runs, its cost and size, "
            "then register it."
        ),
    )
    return redirect("evidence:staff-edit", slug=pilot.slug)


@council_permission("evidence.manage")
def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One version of the plan and what changed since the version before."""
    pilot = selectors.council_pilot(current_council(request), slug)
    found, previous, changes = selectors.version_diff(pilot, number)
    return render(
        request,
        "evidence/staff/version.html",
        {
            "pilot": pilot,
            "version": found,
            "previous": previous,
            "changes": changes,
            "plan": selectors.labelled(found.plan),
        },
    )


@council_permission("evidence.manage")
def registry_export(request: HttpRequest) -> HttpResponse:
    """The register in the UK Evaluation Registry's fields, as formula-safe CSV (no personal
    data: the plan only); the download is audited."""
    council = current_council(request)
    pilots = list(selectors.council_pilots(council).select_related("council").order_by("slug"))
    audit.record(
        "evidence.registry_exported",
        actor=signed_in_user(request),
        council=council,
        rows=len(pilots),
    )

    def card_url(pilot: Pilot) -> str:
        return request.build_absolute_uri(reverse("evidence:card", args=[pilot.slug]))

    rows = [registry.COLUMNS, *(registry.row(pilot, card_url).values() for pilot in pilots)]
    return csv_download("evaluation-registry.csv", rows)
