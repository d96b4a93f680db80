"""Officers' pages for the council's commitments: add and change them, post updates, add
milestones (done, with a document), and import or export them as a CSV file. Every view
needs ``listening.manage_commitments``; every write is a core.commitments action."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import commitment_csv, commitments
from changemaker.core import commitment_selectors as selectors
from changemaker.core.models import Council
from changemaker.core.models.commitments import Commitment, Milestone
from changemaker.core.notices import describe_subject, subject_key
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.core.views.downloads import csv_download
from changemaker.core.views.uploads import upload
from changemaker.listening.forms import (
    CommitmentForm,
    CommitmentsFileForm,
    DocumentForm,
    MilestoneDoneForm,
    MilestoneForm,
    UpdateForm,
)

MANAGE = "listening.manage_commitments"


def _commitment(request: HttpRequest, pk: int) -> Commitment:
    found = selectors.staff_commitment(current_council(request), pk)
    if found is None:
        raise Http404
    return found


def _milestone(request: HttpRequest, pk: int, milestone: int) -> Milestone:
    found = selectors.milestone_of(current_council(request), pk, milestone)
    if found is None:
        raise Http404
    return found


def _sources(council: Council) -> list[tuple[str, str]]:
    """Where a commitment can come from, named: the wards, and what others came from."""
    keys = [subject_key(w) for w in council.wards.all()]
    keys += sorted(
        set(
            selectors.staff_commitments(council).exclude(source="").values_list("source", flat=True)
        )
    )
    named = ((key, describe_subject(council, key)) for key in dict.fromkeys(keys))
    return [(key, f"{found[0]} ({key})") for key, found in named if found is not None]


@council_permission(MANAGE)
def commitments_list(request: HttpRequest) -> HttpResponse:
    found = selectors.staff_commitments(current_council(request)).order_by("title")
    return render(request, "listening/staff/commitments.html", {"commitments": found})


@council_permission(MANAGE)
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _commitment(request, pk)
    return render(
        request,
        "listening/staff/commitment.html",
        {
            "commitment": found,
            "milestones": list(found.milestones.all()),
            "updates": list(found.updates.all()[:20]),
            "rolled_up": commitments.has_children(found),
        },
    )


def _edit(request: HttpRequest, instance: Commitment) -> HttpResponse:
    council = current_council(request)
    form = CommitmentForm(
        request.POST or None,
        instance=instance,
        council=council,
        sources=_sources(council),
        parents=selectors.parent_choices(council, exclude=instance),
    )
    if request.method == "POST" and form.is_valid():
        commitment = form.save(commit=False)
        try:
            commitments.save_commitment(commitment, by=signed_in_user(request))
        except commitments.CommitmentError as exc:
            form.add_error("parent", str(exc))
        else:
            messages.success(request, _("Commitment saved"))
            return redirect("listening:staff-commitment", pk=commitment.pk)
    return render(
        request, "listening/staff/commitment_form.html", {"form": form, "commitment": instance}
    )


@council_permission(MANAGE)
def commitment_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, Commitment(council=current_council(request)))


@council_permission(MANAGE)
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _commitment(request, pk))


@council_permission(MANAGE)
def commitment_update(request: HttpRequest, pk: int) -> HttpResponse:
    found = _commitment(request, pk)
    rolled_up = commitments.has_children(found)
    form = UpdateForm(request.POST or None)
    if rolled_up:
        del form.fields["status"], form.fields["progress"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitments.add_update(
                found,
                by=signed_in_user(request),
                text=data["text"],
                text_cy=data["text_cy"],
                status=data.get("status") or "",
                progress=data.get("progress"),
            )
        except commitments.CommitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Update published"))
            return redirect("listening:staff-commitment", pk=pk)
    return render(
        request,
        "listening/staff/update_form.html",
        {"form": form, "commitment": found, "rolled_up": rolled_up},
    )


@council_permission(MANAGE)
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _commitment(request, pk)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        commitments.add_milestone(found, by=signed_in_user(request), **form.cleaned_data)
        messages.success(request, _("Milestone added"))
        return redirect("listening:staff-commitment", pk=pk)
    return render(
        request,
        "listening/staff/milestone_form.html",
        {"form": form, "commitment": found, "heading": _("Add a milestone")},
    )


@council_permission(MANAGE)
def milestone_done(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    found = _milestone(request, pk, milestone)
    form = MilestoneDoneForm(
        request.POST or None, initial={"done_on": found.done_on or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        commitments.complete_milestone(
            found, by=signed_in_user(request), done_on=form.cleaned_data["done_on"]
        )
        messages.success(request, _("Milestone marked as done"))
        return redirect("listening:staff-commitment", pk=pk)
    return render(
        request,
        "listening/staff/milestone_form.html",
        {
            "form": form,
            "commitment": found.commitment,
            "milestone": found,
            "heading": _("Mark the milestone as done"),
        },
    )


@council_permission(MANAGE)
def milestone_document(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    found = _milestone(request, pk, milestone)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        commitments.attach_document(
            found,
            by=signed_in_user(request),
            document=form.cleaned_data["document"],
            name=form.cleaned_data["name"],
        )
        messages.success(request, _("Document added"))
        return redirect("listening:staff-commitment", pk=pk)
    return render(
        request,
        "listening/staff/milestone_form.html",
        {
            "form": form,
            "commitment": found.commitment,
            "milestone": found,
            "heading": _("Add a document"),
        },
    )


@council_permission(MANAGE)
def commitments_file(request: HttpRequest) -> HttpResponse:
    """Import a CSV file of commitments (all or nothing); the export is linked from here."""
    council = current_council(request)
    form = CommitmentsFileForm(request.POST or None, request.FILES or None)

    def imported(count: int) -> HttpResponse:
        messages.success(request, _("%(count)s commitments imported") % {"count": count})
        return redirect("listening:staff-commitments")

    return upload(
        request,
        form,
        lambda data: commitments.import_commitments(
            council, data["file"], by=signed_in_user(request), name=form.filename
        ),
        done=imported,
        page=lambda problems: render(
            request,
            "listening/staff/commitments_file.html",
            {"form": form, "problems": problems, "columns": commitment_csv.COLUMNS},
        ),
        refused=_(
            "The file has problems, so nothing was imported. Fix them, then upload it again."
        ),
    )


@council_permission(MANAGE)
def commitments_export(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    rows = commitment_csv.export_rows(council)
    commitments.record_export(council, by=signed_in_user(request), rows=len(rows) - 1)
    return csv_download("commitments.csv", rows)
