"""The staff area: dashboard, background jobs, audit log, invitations, council settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.http.request import validate_host
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core import actions, audit, selectors
from changemaker.core.events import describe, describe_object
from changemaker.core.forms import (
    AuditFilterForm,
    CouncilForm,
    InviteForm,
    WardBoundariesForm,
    WardForm,
)
from changemaker.core.geo import BoundaryError
from changemaker.core.models import AuditEvent, Council, Invitation, Job, User, Ward
from changemaker.core.registry import WORKSPACES, untranslated
from changemaker.core.rules import PERMISSIONS
from changemaker.core.views.base import council_permission, current_council
from changemaker.core.views.downloads import csv_download


@council_permission("core.view_staff_area")
def dashboard(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    allowed = [p for p in PERMISSIONS if request.user.has_perm(p, council)]
    jobs = Job.objects.filter(council=council).order_by("-created_at")[:5]
    workspaces = [
        {
            "title": w.title,
            "description": w.description,
            "links": [
                (link[0], link[1])
                for link in w.links(council)
                if len(link) < 3 or link[2] in allowed
            ],
        }
        for w in WORKSPACES
        if w.permission in allowed
    ]
    return render(
        request,
        "core/staff/dashboard.html",
        {"allowed": allowed, "jobs": jobs, "workspaces": workspaces},
    )


@council_permission("core.translate")
def translations(request: HttpRequest) -> HttpResponse:
    """Everything published whose Welsh is still to write, that this person may edit."""
    sections = untranslated(request.user, current_council(request))
    total = sum(len(items) for _title, items in sections)
    return render(request, "core/staff/translations.html", {"sections": sections, "total": total})


@council_permission("core.view_jobs")
def job_list(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    page = Paginator(Job.objects.filter(council=council), 25).get_page(request.GET.get("page"))
    return render(request, "core/staff/jobs.html", {"page": page})


@council_permission("core.view_jobs")
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id, council=current_council(request))
    template = (
        "core/staff/_job_progress.html"
        if request.headers.get("HX-Request")
        else ("core/staff/job.html")
    )
    return render(request, template, {"job": job})


@require_POST
@council_permission("core.view_jobs")
def job_selfcheck(request: HttpRequest) -> HttpResponse:
    job = actions.start_job(
        "core.selfcheck",
        title=_("Platform self-check"),
        council=current_council(request),
        by=request.user,  # type: ignore[arg-type]
    )
    return redirect("core:job", job_id=job.pk)


@council_permission("core.view_audit_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    # Recorded first, so that the page counts and shows it consistently.
    audit.record("audit.viewed", actor=request.user, council=council)  # type: ignore[arg-type]
    form = AuditFilterForm(request.GET or None, **selectors.audit_filter_choices(council))
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(council, **_audit_filters(filters))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "event": e,
            "what": describe(e.action),
            "on": describe_object(e.object_type, e.object_id),
        }
        for e in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/staff/audit.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


def _audit_filters(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {
        "action": cleaned.get("action") or "",
        "person": cleaned.get("person") or "",
        "since": cleaned.get("since"),
        "until": cleaned.get("until"),
    }


@council_permission("core.view_audit_log")
def audit_export(request: HttpRequest) -> HttpResponse:
    """The audit log as CSV, narrowed like the page; downloading it is itself recorded."""
    council = current_council(request)
    form = AuditFilterForm(request.GET or None, **selectors.audit_filter_choices(council))
    if request.GET and not form.is_valid():
        return redirect(f"{reverse('core:audit')}?{request.GET.urlencode()}")
    filters = _audit_filters(form.cleaned_data if form.is_bound else {})
    events = list(selectors.audit_events(council, **filters))
    only: dict[str, Any] = {f"only_{k}": str(v) for k, v in filters.items() if v}
    audit.record(
        "audit.exported",
        actor=request.user,  # type: ignore[arg-type]
        council=council,
        rows=len(events),
        **only,
    )
    header = ["when", "who", "what", "event", "on", "object type", "object id", "why"]
    return csv_download("audit-log.csv", [header, *(_audit_row(e) for e in events)])


def _audit_row(e: AuditEvent) -> list[str]:
    return [
        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
        e.actor.name if e.actor else _("System"),
        describe(e.action),
        e.action,
        describe_object(e.object_type, e.object_id),
        e.object_type,
        e.object_id,
        e.reason,
    ]


@council_permission("core.invite_staff")
def invite(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def accept_url(token: str) -> str:
            return request.build_absolute_uri(reverse("core:accept-invitation", args=[token]))

        actions.invite_staff(
            council=council,
            invited_by=request.user,  # type: ignore[arg-type]
            accept_url=accept_url,
            **form.cleaned_data,
        )
        messages.success(request, _("Invitation sent. It lasts 7 days."))
        return redirect("core:invite")
    invitations = Invitation.objects.filter(council=council)[:20]
    return render(request, "core/staff/invite.html", {"form": form, "invitations": invitations})


@council_permission("core.change_council")
def council_settings(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    # A copy: the form writes what was typed into its instance, and the page shell (drawn in
    # request.council's colour) must not take an unsaved, perhaps invalid, colour.
    form = CouncilForm(
        request.POST or None, request.FILES or None, instance=Council.objects.get(pk=council.pk)
    )
    if request.method == "POST" and form.is_valid():
        actions.update_council(
            form.save(commit=False),
            by=request.user,  # type: ignore[arg-type]
            changed=form.changed_data,
        )
        messages.success(request, _("Council details saved"))
        return redirect("core:council")
    wards = council.wards.all()
    return render(request, "core/staff/council.html", {"form": form, "wards": wards})


@council_permission("core.change_council")
def ward_edit(request: HttpRequest, ward_id: int | None = None) -> HttpResponse:
    council = current_council(request)
    ward = (
        get_object_or_404(Ward, pk=ward_id, council=council) if ward_id else Ward(council=council)
    )
    form = WardForm(request.POST or None, instance=ward)
    if request.method == "POST" and form.is_valid():
        actions.save_ward(form.save(commit=False), by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Ward saved"))
        return redirect("core:council")
    return render(request, "core/staff/ward.html", {"form": form, "ward": ward})


@council_permission("core.change_council")
def ward_boundaries(request: HttpRequest) -> HttpResponse:
    """Upload an ONS ward boundaries GeoJSON file: all or nothing, problems by the field."""
    council = current_council(request)
    form = WardBoundariesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = actions.import_ward_boundaries(
                council,
                upload.read(),
                file=upload.name,
                by=request.user,  # type: ignore[arg-type]
            )
        except BoundaryError as error:
            form.add_error("file", _("Nothing was imported. Fix these problems and try again:"))
            for problem in error.problems:
                form.add_error("file", f"{problem}.")
            if error.more:
                form.add_error("file", _("… and %(n)s more problems") % {"n": error.more})
        else:
            messages.success(
                request,
                _("Boundaries stored for %(n)s wards") % {"n": len(result["drawn"])}
                if not result["missing"]
                else _("Boundaries stored for %(n)s wards. The file had none for: %(names)s")
                % {"n": len(result["drawn"]), "names": ", ".join(result["missing"])},
            )
            return redirect("core:council")
    return render(request, "core/staff/ward_boundaries.html", {"form": form})


@council_permission("core.manage_councils")
def platform_councils(request: HttpRequest) -> HttpResponse:
    councils = list(
        Council.objects.annotate(ward_count=Count("wards", distinct=True)).prefetch_related(
            "other_domains"
        )
    )
    for council in councils:
        hosts = [council.domain, *(d.host for d in council.other_domains.all())]
        # The server answers only host names in ALLOWED_HOSTS (the operator's setting).
        council.refused_hosts = [  # type: ignore[attr-defined]
            h for h in hosts if h and not validate_host(h, settings.ALLOWED_HOSTS)
        ]
    people = User.objects.count()
    return render(request, "core/staff/platform.html", {"councils": councils, "people": people})
