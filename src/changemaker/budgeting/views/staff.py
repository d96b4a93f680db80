"""Participatory budgeting staff pages: review, codes, paper ballots, checks, counting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.budgeting import actions, selectors, welsh
from changemaker.budgeting.forms import (
    CloseEarlyForm,
    CodesForm,
    DeliveryForm,
    EditProcessForm,
    IdeaWelshForm,
    ImportForm,
    ManualDecisionForm,
    PaperBallotForm,
    ProcessForm,
    RegisterForm,
    ReviewForm,
)
from changemaker.budgeting.models import (
    Heading,
    ManualCheck,
    Process,
    Project,
    RegisterImport,
)
from changemaker.budgeting.notices import WITHHELD_REASONS
from changemaker.budgeting.rules import can_review
from changemaker.budgeting.views.shared import _marks, _process
from changemaker.core import audit
from changemaker.core.models import Job, Ward
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.core.views.downloads import csv_download
from changemaker.core.views.uploads import upload


@council_permission("budgeting.manage")
def staff_process(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    waiting = process.projects.filter(status=Project.Status.SUBMITTED)
    return render(
        request,
        "budgeting/staff/process.html",
        {
            "process": process,
            "waiting": waiting,
            "to_check": process.projects.filter(publication=Project.Publication.WAITING),
            "ballots": process.ballots.count(),
            "codes": process.codes.count(),
            "checks": process.manual_checks.filter(status=ManualCheck.Status.WAITING).count(),
            "jobs": Job.objects.filter(kind="budgeting.count", params__process=process.pk)[:5],
            "funded": sorted(selectors.funded_codes(process)),
            "welsh_missing": welsh.process_welsh_missing(process),
            "ideas_welsh_missing": welsh.public_ideas_welsh_missing(process),
        },
    )


@council_permission("budgeting.manage")
def staff_review(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = _process(request, slug)
    project = get_object_or_404(Project, process=process, code=code)
    form = ReviewForm(
        request.POST or None,
        project=project,
        initial={"final_cost": project.final_cost or project.rough_cost},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        merge = (
            process.projects.filter(code=data["merge_into"]).first() if data["merge_into"] else None
        )
        try:
            actions.review_idea(
                project,
                by=signed_in_user(request),
                decision=data["decision"],
                note=data["note"],
                final_cost=data["final_cost"],
                merge_into=merge,
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Decision saved"))
            return redirect("budgeting:staff", slug=slug)
    return render(
        request,
        "budgeting/staff/review.html",
        {
            "process": process,
            "project": project,
            "form": form,
            "decidable": can_review(process),
            "withheld_reasons": WITHHELD_REASONS.items(),
        },
    )


@council_permission("budgeting.manage")
def staff_idea_welsh(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """An officer's Welsh version of an idea, at any time (it changes nothing on the ballot)."""
    process = _process(request, slug)
    project = get_object_or_404(Project, process=process, code=code)
    initial = {"title_cy": project.title_cy, "description_cy": project.description_cy}
    form = IdeaWelshForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.translate_idea(project, by=signed_in_user(request), **form.cleaned_data)
        messages.success(request, _("Welsh version saved"))
        return redirect("budgeting:staff-review", slug=slug, code=code)
    return render(
        request,
        "budgeting/staff/idea_welsh.html",
        {"process": process, "project": project, "form": form},
    )


@require_POST
@council_permission("budgeting.manage")
def staff_publish(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Publish an idea (with its picture) once checked, or keep it from the public."""
    process = _process(request, slug)
    project = get_object_or_404(Project, process=process, code=code)
    decision = request.POST.get("publish")
    if decision not in {"yes", "no"}:
        messages.error(request, _("Choose whether to publish the idea."))
    else:
        try:
            actions.publish_idea(
                project,
                by=signed_in_user(request),
                publish=decision == "yes",
                reason=request.POST.get("reason", ""),
            )
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The idea is published") if decision == "yes" else _("The idea is not published"),
            )
    return redirect("budgeting:staff-review", slug=slug, code=code)


@require_POST
@council_permission("budgeting.manage")
def staff_remove_image(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Take an idea's image down (for example, it shows someone who has not agreed to it)."""
    process = _process(request, slug)
    project = get_object_or_404(Project, process=process, code=code)
    try:
        actions.remove_idea_image(project, by=signed_in_user(request))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The image has been removed"))
    return redirect("budgeting:staff-review", slug=slug, code=code)


@council_permission("budgeting.manage")
def staff_codes(request: HttpRequest, slug: str) -> HttpResponse:
    """Voting codes for one ward, shown once: as letters to print or a mail-merge CSV file."""
    process = _process(request, slug)
    form = CodesForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        ward = form.cleaned_data["ward"]
        try:
            codes = actions.issue_codes(
                process, count=form.cleaned_data["count"], by=signed_in_user(request), ward=ward
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            address = request.build_absolute_uri(reverse("budgeting:vote-code", args=[slug]))
            area = ward.name if ward else process.council.name
            if form.cleaned_data["output"] == "csv":
                return _letters_csv(process, codes, area, ward, address)
            # Shown once, as letters to print: only the hashes are kept.
            context = {"process": process, "codes": codes, "area": area, "address": address}
            return render(request, "budgeting/staff/letters.html", context)
    return render(request, "budgeting/staff/codes.html", {"process": process, "form": form})


def _letters_csv(
    process: Process, codes: list[str], area: str, ward: Ward | None, address: str
) -> HttpResponse:
    """One row per letter for a mail merge. Codes are secrets, not personal data; the file is
    made once and not kept."""
    closes = timezone.localtime(process.voting_until).strftime("%Y-%m-%d %H:%M")
    rows = [  # budget and ward names are free text typed by officers: formula-safe
        ["code", "ward", "ward_code", "budget", "web_address", "closes"],
        *(
            [code, area, ward.code if ward else "", process.title, address, closes]
            for code in codes
        ),
    ]
    return csv_download(f"{process.slug}-{ward.code if ward else 'council'}-codes.csv", rows)


@council_permission("budgeting.manage")
def staff_paper(request: HttpRequest, slug: str, heading: int) -> HttpResponse:
    process = _process(request, slug)
    head = get_object_or_404(Heading, process=process, pk=heading)
    projects = list(head.projects.filter(status=Project.Status.SHORTLISTED))
    counted = head.counts.exists()
    form = PaperBallotForm(request.POST or None, counted=counted)
    current: dict[str, int] = {}
    if request.method == "POST" and form.is_valid() and form.cleaned_data["content"] != "votes":
        try:
            paper = actions.record_unusable_paper(
                process,
                head,
                reference=form.cleaned_data["reference"],
                kind=form.cleaned_data["content"],
                entered_by=signed_in_user(request),
            )
        except actions.ActionRefused as exc:
            form.add_error("reference", str(exc))
        else:
            messages.success(
                request,
                _("Paper %(ref)s saved as %(kind)s: not counted as a vote")
                % {"ref": paper.reference, "kind": paper.get_kind_display().lower()},
            )
            return redirect("budgeting:staff-paper", slug=slug, heading=heading)
    elif request.method == "POST" and form.is_valid():
        try:
            current = _marks(process, projects, request.POST)
            actions.cast_ballot(
                process,
                head,
                current,
                paper_reference=form.cleaned_data["reference"],
                entered_by=signed_in_user(request),
                recount=form.cleaned_data.get("recount", False),
            )
        except actions.CountExists as exc:
            form.add_error("recount" if "recount" in form.fields else None, str(exc))
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Paper ballot %(ref)s saved") % {"ref": form.cleaned_data["reference"]}
            )
            if counted:
                messages.success(request, _("The votes are being counted again."))
            return redirect("budgeting:staff-paper", slug=slug, heading=heading)
    return render(
        request,
        "budgeting/staff/paper.html",
        {
            "process": process,
            "heading": head,
            "projects": projects,
            "form": form,
            "current": current,
            "counted": counted,
            "unusable": selectors.unusable_papers(head),
        },
    )


@council_permission("budgeting.manage")
def staff_register(request: HttpRequest) -> HttpResponse:
    """Replace the council's residents register (used by budgets that check residency)."""
    council = current_council(request)
    form = RegisterForm(request.POST or None, request.FILES or None)

    def replaced(done: RegisterImport) -> HttpResponse:
        messages.success(
            request,
            _("The register has been replaced: %(n)s residents.") % {"n": done.residents},
        )
        return redirect("budgeting:staff-register")

    def page(problems: list[str]) -> HttpResponse:
        latest = RegisterImport.objects.filter(council=council).first()
        return render(
            request,
            "budgeting/staff/register.html",
            {"form": form, "problems": problems, "latest": latest},
        )

    return upload(
        request,
        form,
        lambda data: actions.import_register(
            council,
            data["file"],
            source=str(getattr(request.FILES.get("file"), "name", "register.csv")),
            by=signed_in_user(request),
        ),
        done=replaced,
        page=page,
    )


@council_permission("budgeting.manage")
def staff_checks(request: HttpRequest, slug: str) -> HttpResponse:
    """Residents waiting for a manual check (no personal details on this list)."""
    process = _process(request, slug)
    waiting = process.manual_checks.filter(status=ManualCheck.Status.WAITING)
    return render(request, "budgeting/staff/checks.html", {"process": process, "waiting": waiting})


@council_permission("budgeting.manage")
def staff_check(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One manual check: what the resident gave (this view is audited) and the decision."""
    process = _process(request, slug)
    check = get_object_or_404(
        ManualCheck, process=process, pk=pk, status=ManualCheck.Status.WAITING
    )
    form = ManualDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_manual_check(
                check,
                by=signed_in_user(request),
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Decision saved"))
            return redirect("budgeting:staff-checks", slug=slug)
    audit.record(
        "pb.manual_check_viewed",
        actor=signed_in_user(request),
        council=process.council,
        obj=check,
        reason="manual residency check",
    )
    return render(
        request, "budgeting/staff/check.html", {"process": process, "check": check, "form": form}
    )


@require_POST
@council_permission("budgeting.manage")
def staff_count(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    try:
        job = actions.start_count(process, by=signed_in_user(request))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("budgeting:staff", slug=slug)
    return redirect("core:job", job_id=job.pk)


@council_permission("budgeting.manage")
def staff_delivery(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = _process(request, slug)
    project = get_object_or_404(Project, process=process, code=code)
    delivery = selectors.delivery_of(project)
    form = DeliveryForm(
        request.POST or None,
        initial={"status": delivery.status, "progress": delivery.progress} if delivery else {},
    )
    if project.code not in selectors.funded_codes(process):
        messages.error(request, _("Only funded projects have delivery updates."))
        return redirect("budgeting:staff", slug=slug)
    if request.method == "POST" and form.is_valid():
        actions.post_delivery_update(
            project,
            by=signed_in_user(request),
            **form.cleaned_data,
        )
        messages.success(request, _("Update published"))
        return redirect("budgeting:delivery", slug=slug)
    return render(
        request,
        "budgeting/staff/delivery.html",
        {"process": process, "project": project, "form": form},
    )


@council_permission("budgeting.manage")
def staff_new(request: HttpRequest) -> HttpResponse:
    """Start a new participatory budget: its phases, ballot, counting rule and money."""
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for name in (
            "ideas_from",
            "review_from",
            "voting_from",
            "voting_last_day",
            "delivery_from",
        ):
            del data[name]
        try:
            process = actions.create_process(
                current_council(request), by=signed_in_user(request), dates=form.dates(), **data
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Budget created"))
            return redirect("budgeting:staff", slug=process.slug)
    return render(request, "budgeting/staff/new.html", {"form": form})


@council_permission("budgeting.manage")
def staff_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change a budget's words and dates (its ballot and counting rule stay as they are)."""
    process = _process(request, slug)
    form = EditProcessForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_process(
                process,
                by=signed_in_user(request),
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
                dates=form.dates(),
                welsh={k: data[k] for k in ("title_cy", "summary_cy", "description_cy")},
                headings_cy=form.headings_cy(),
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Budget changed"))
            return redirect("budgeting:staff", slug=process.slug)
    return render(request, "budgeting/staff/edit.html", {"process": process, "form": form})


@council_permission("budgeting.manage")
def staff_close(request: HttpRequest, slug: str) -> HttpResponse:
    """Close ideas or voting now, with the reason residents will see."""
    process = _process(request, slug)
    form = CloseEarlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_early(
                process, by=signed_in_user(request), reason=form.cleaned_data["reason"]
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Closed early"))
            return redirect("budgeting:staff", slug=slug)
    return render(request, "budgeting/staff/close.html", {"process": process, "form": form})


@council_permission("budgeting.manage")
def staff_import(request: HttpRequest) -> HttpResponse:
    """Load a past election from a Pabulib file (its ballots are counted like any others).
    The file is read in a background job: the officer follows it on the job page."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = actions.start_import(
                current_council(request),
                data["file"],
                slug=data["slug"],
                title=data["title"],
                by=signed_in_user(request),
            )
        except actions.ActionRefused as exc:
            form.add_error("slug", str(exc))
        else:
            return redirect("core:job", job_id=job.pk)
    return render(request, "budgeting/staff/import.html", {"form": form})
