"""We asked, you said, we did, for the officers who write the pages: the closed processes,
drafting a page from the data, editing every part (and its Welsh), preview, publish and
unpublish. Every view needs ``listening.manage_reports``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core.registry import ReportSource
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.listening import actions, selectors
from changemaker.listening.forms import DraftForm, RedraftForm, ReportForm
from changemaker.listening.models import Report
from changemaker.listening.views.shared import report_context

MANAGE = "listening.manage_reports"


def _report(request: HttpRequest, pk: int) -> Report:
    return selectors.council_report(current_council(request), pk)


def _source(request: HttpRequest, key: str) -> ReportSource:
    found = selectors.report_source(current_council(request), key)
    if found is None:
        raise Http404
    return found


@council_permission(MANAGE)
def sources(request: HttpRequest) -> HttpResponse:
    rows = selectors.report_sources_of(current_council(request))
    return render(request, "listening/reports/staff_list.html", {"rows": rows})


@require_POST
@council_permission(MANAGE)
def draft(request: HttpRequest) -> HttpResponse:
    form = DraftForm(request.POST)
    if not form.is_valid():
        raise Http404
    source = _source(request, form.cleaned_data["source"])
    made = actions.draft_report(current_council(request), source, by=signed_in_user(request))
    messages.success(request, _("The page has been drafted from the results. Check every part."))
    return redirect("listening:report-edit", made.pk)


@council_permission(MANAGE)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _report(request, pk)
    form = ReportForm(request.POST if request.method == "POST" else None, instance=found)
    if request.method == "POST" and form.is_valid():
        actions.save_report(found, by=signed_in_user(request), parts=form.cleaned_data)
        messages.success(request, _("Your changes have been saved."))
        return redirect("listening:report-edit", found.pk)
    return render(request, "listening/reports/edit.html", {"form": form, "report": found})


@council_permission(MANAGE)
def redraft(request: HttpRequest, pk: int) -> HttpResponse:
    found = _report(request, pk)
    form = RedraftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.redraft_report(
            found,
            _source(request, found.source),
            by=signed_in_user(request),
            replace=form.cleaned_data["replace"] == "replace",
        )
        messages.success(request, _("The page has been drafted again from the results."))
        return redirect("listening:report-edit", found.pk)
    return render(request, "listening/reports/redraft.html", {"form": form, "report": found})


@council_permission(MANAGE)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    context = {**report_context(_report(request, pk)), "preview": True}
    return render(request, "listening/reports/report.html", context)


@require_POST
@council_permission(MANAGE)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = _report(request, pk)
    try:
        actions.publish_report(found, by=signed_in_user(request))
    except actions.ListeningError as exc:
        messages.error(request, str(exc))
        return redirect("listening:report-edit", found.pk)
    messages.success(request, _("The page is published. People who follow it will hear."))
    return redirect("listening:report", found.pk)


@require_POST
@council_permission(MANAGE)
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    found = _report(request, pk)
    actions.unpublish_report(found, by=signed_in_user(request))
    messages.success(request, _("The page is no longer public. It is a draft again."))
    return redirect("listening:report-edit", found.pk)
