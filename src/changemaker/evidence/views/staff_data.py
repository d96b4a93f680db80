"""Outcome data, analyses and ratings of a pilot (staff): uploads and analyses run as
background jobs that the officer follows on the job page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core.registry import outcome_sources
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.core.views.uploads import upload
from changemaker.evidence import actions, selectors
from changemaker.evidence.adapter import SHARED_COLUMNS
from changemaker.evidence.forms import DataForm, OverrideForm, SharedDataForm
from changemaker.evidence.views.shared import result_context


@council_permission("evidence.manage")
def data_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload outcome data: checked whole in a background job, kept only if all of it is
    usable (otherwise every problem is listed with its line and column)."""
    pilot = selectors.council_pilot(current_council(request), slug)
    form = DataForm(request.POST or None, request.FILES or None, design=pilot.design)
    return upload(
        request,
        form,
        lambda data: actions.start_upload(
            pilot, data["file"], columns=form.columns(), by=signed_in_user(request)
        ),
        done=lambda job: redirect("core:job", job_id=job.pk),
        page=lambda _problems: render(
            request, "evidence/staff/data.html", {"form": form, "pilot": pilot}
        ),
    )


@council_permission("evidence.manage")
def data_shared(request: HttpRequest, slug: str) -> HttpResponse:
    """The outcome as counts by ward and month from the shared view of need: taken in a
    background job (aggregates only, small numbers suppressed at the source, under its
    data-sharing agreements), kept as an upload would be."""
    council = current_council(request)
    pilot = selectors.council_pilot(council, slug)
    sources = outcome_sources(council)
    form = SharedDataForm(
        request.POST or None, sources=sources, wards=selectors.ward_choices(council)
    )
    fits = pilot.design in SHARED_COLUMNS
    if request.method == "POST" and fits and form.is_valid():
        data = form.cleaned_data
        job = actions.start_shared_extract(
            pilot,
            source=data["source"],
            start=data["start"],
            end=data["end"],
            treated=data["treated"],
            starts=data["starts"],
            by=signed_in_user(request),
        )
        return redirect("core:job", job_id=job.pk)
    context = {"form": form, "pilot": pilot, "fits": fits, "sources": sources}
    return render(request, "evidence/staff/data_shared.html", context)


@require_POST
@council_permission("evidence.manage")
def analyse(request: HttpRequest, slug: str, data_id: int) -> HttpResponse:
    pilot = selectors.council_pilot(current_council(request), slug)
    data = selectors.pilot_data(pilot, data_id)
    job = actions.start_analysis(data, by=signed_in_user(request))
    return redirect("core:job", job_id=job.pk)


@council_permission("evidence.manage")
def analysis(request: HttpRequest, slug: str, analysis_id: int) -> HttpResponse:
    pilot = selectors.council_pilot(current_council(request), slug)
    found = selectors.pilot_analysis(pilot, analysis_id)
    return render(
        request,
        "evidence/staff/analysis.html",
        {"pilot": pilot, **result_context(pilot, found)},
    )


@council_permission("evidence.rate")
def rating(request: HttpRequest, slug: str) -> HttpResponse:
    """An evaluator overrides the suggested rating, with the reason (audited)."""
    pilot = selectors.council_pilot(current_council(request), slug)
    form = OverrideForm(
        request.POST or None,
        initial={
            "sms": pilot.sms_override,
            "nesta": pilot.nesta_override,
            "reason": pilot.override_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.override_rating(
            pilot,
            sms=data["sms"],
            nesta=data["nesta"],
            reason=data["reason"],
            by=signed_in_user(request),
        )
        messages.success(request, _("Rating saved with its reason."))
        return redirect("evidence:staff-pilot", slug=pilot.slug)
    context = {
        "form": form,
        "pilot": pilot,
        **result_context(pilot, selectors.latest_analysis(pilot)),
    }
    return render(request, "evidence/staff/rating.html", context)
