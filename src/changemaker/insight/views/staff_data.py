"""Data-officer pages: purposes and agreements, datasets and their column mapping, uploads
with a validation report, linkage runs, and what we process (for the DPIA).

Thin: parse, call an action (``actions``) or a read (``selectors``), render. No page shows
personal data except the quarantined-rows download, which the officer needs to fix the rows
and which is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST

from changemaker.core.models import Council, User
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.core.views.downloads import csv_download
from changemaker.core.views.uploads import upload
from changemaker.insight import actions, selectors
from changemaker.insight.forms.data import (
    FIELD_LABELS,
    AgreementForm,
    DatasetForm,
    GazetteerForm,
    MappingForm,
    PurposeForm,
    RunForm,
    UploadForm,
)
from changemaker.insight.models import (
    Dataset,
    DataSharingAgreement,
    Gazetteer,
    LinkRun,
    Purpose,
    RestrictedCategory,
    Upload,
    current_run,
)
from changemaker.insight.views.shared import posted

MANAGE = "insight.manage_data"


def _me(request: HttpRequest) -> tuple[User, Council]:
    return signed_in_user(request), current_council(request)


def _form_page(
    request: HttpRequest, form: Any, *, back: str | tuple[str, int], **context: Any
) -> HttpResponse:
    name, *args = (back,) if isinstance(back, str) else back
    context["back_url"] = reverse(name, args=args)
    return render(request, "insight/data/form.html", {"form": form, **context})


# Purposes and agreements --------------------------------------------------------------------


@council_permission(MANAGE)
def agreements(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    return render(
        request,
        "insight/data/agreements.html",
        {
            "agreements": selectors.agreement_rows(council),
            "purposes": Purpose.objects.filter(council=council),
        },
    )


@council_permission(MANAGE)
def purpose_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user, council = _me(request)
    purpose = get_object_or_404(Purpose, pk=pk, council=council) if pk else None
    initial = (
        {"name": purpose.name, "description": purpose.description, "evaluation": purpose.evaluation}
        if purpose
        else None
    )
    form = PurposeForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_purpose(council, by=user, purpose=purpose, **form.cleaned_data)
        except actions.DataError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("Purpose saved."))
            return redirect("insight:agreements")
    title = _("Change a purpose") if purpose else _("Add a purpose")
    return _form_page(request, form, title=title, back="insight:agreements", submit=_("Save"))


@council_permission(MANAGE)
def agreement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user, council = _me(request)
    agreement = get_object_or_404(DataSharingAgreement, pk=pk, council=council) if pk else None
    initial = AgreementForm.initial_for(agreement) if agreement else None
    form = AgreementForm(posted(request), council=council, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_agreement(council, by=user, data=form.action_data(), agreement=agreement)
        except actions.DataError as exc:
            form.add_error("reference", str(exc))
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("insight:agreements")
    title = _("Change an agreement") if agreement else _("Add a data-sharing agreement")
    intro = _(
        "Record what the law and the parties allow. Datasets are imported only while their "
        "agreement is in force."
    )
    no_purposes = not form.purpose_objects
    return _form_page(
        request,
        form,
        title=title,
        intro=intro,
        back="insight:agreements",
        submit=_("Save agreement"),
        no_purposes=no_purposes,
    )


# Datasets ----------------------------------------------------------------------------------


@council_permission(MANAGE)
def datasets(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    return render(
        request,
        "insight/data/datasets.html",
        {
            "rows": selectors.dataset_rows(council),
            "has_agreements": DataSharingAgreement.objects.filter(council=council).exists(),
        },
    )


@council_permission(MANAGE)
def dataset_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user, council = _me(request)
    dataset = get_object_or_404(Dataset, pk=pk, council=council) if pk else None
    initial = None
    if dataset is not None:
        initial = {
            "title": dataset.title,
            "code": dataset.code,
            "service": dataset.service,
            "agreement": str(dataset.agreement_id),
        }
    form = DatasetForm(posted(request), council=council, initial=initial)
    if not form.agreements:
        messages.error(request, _("Add the data-sharing agreement first: no agreement, no import."))
        return redirect("insight:agreement-new")
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_dataset(council, by=user, dataset=dataset, **form.action_data())
        except actions.DataError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, _("Dataset saved."))
            if dataset is None:
                return redirect("insight:dataset-mapping", pk=saved.pk)
            return redirect("insight:dataset", pk=saved.pk)
    title = _("Change a dataset") if dataset else _("Add a dataset")
    back = ("insight:dataset", dataset.pk) if dataset else "insight:datasets"
    return _form_page(request, form, title=title, back=back, submit=_("Save and continue"))


@council_permission(MANAGE)
def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    dataset = get_object_or_404(Dataset.objects.select_related("agreement"), pk=pk, council=council)
    mapping = [
        {"label": FIELD_LABELS[name], "column": dataset.column_mapping.get(name, "")}
        for name in actions.MAPPED_FIELDS
    ]
    return render(
        request,
        "insight/data/dataset.html",
        {
            "dataset": dataset,
            "mapping": mapping,
            "restricted": [FIELD_LABELS.get(f, f) for f in dataset.restricted_fields],
            "records": dataset.records.count(),
            "uploads": dataset.uploads.all()[:20],
            "in_force": dataset.agreement.in_force(),
        },
    )


@council_permission(MANAGE)
def dataset_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    user, council = _me(request)
    dataset = get_object_or_404(Dataset, pk=pk, council=council)
    form = MappingForm(posted(request), dataset=dataset)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_mapping(dataset, by=user, **form.action_data())
        except actions.DataError as exc:
            form.add_error("attributes", str(exc))
        else:
            messages.success(request, _("Column mapping saved."))
            return redirect("insight:dataset", pk=dataset.pk)
    return _form_page(
        request,
        form,
        title=_("Column mapping"),
        caption=dataset.title,
        intro=_(
            "For each field, type the heading of the column in the service's file that holds "
            "it. Leave a field empty if the file does not have it."
        ),
        back=("insight:dataset", dataset.pk),
        submit=_("Save mapping"),
    )


@council_permission(MANAGE)
def dataset_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user, council = _me(request)
    dataset = get_object_or_404(Dataset.objects.select_related("agreement"), pk=pk, council=council)
    form = UploadForm(posted(request), request.FILES or None)
    in_force = dataset.agreement.in_force()
    return upload(
        request,
        form,
        lambda data: actions.receive_upload(
            dataset, by=user, name=data["file"].name, stream=data["file"]
        ),
        done=lambda received: redirect("insight:upload", pk=received.pk),
        page=lambda _problems: _form_page(
            request,
            form,
            title=_("Upload records"),
            caption=dataset.title,
            intro=_(
                "We check every row and show you a report before anything is published. Rows "
                "that cannot be imported are kept aside with the reason."
            ),
            refused=None
            if in_force
            else _(
                "Agreement %(ref)s is not in force today, so no records can be imported under it."
            )
            % {"ref": dataset.agreement.reference},
            back=("insight:dataset", dataset.pk),
            submit=_("Upload and check"),
        ),
        errors=(actions.DataError,),
    )


def _own_upload(request: HttpRequest, pk: int) -> Upload:
    return get_object_or_404(
        Upload.objects.select_related("dataset", "dataset__agreement"),
        pk=pk,
        dataset__council=current_council(request),
    )


@council_permission(MANAGE)
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    job = upload.job
    return render(
        request,
        "insight/data/upload.html",
        {
            "upload": upload,
            "dataset": upload.dataset,
            "quarantined": upload.report.get("quarantined", [])[:500],
            "more": max(0, len(upload.report.get("quarantined", [])) - 500),
            "field_problems": [  # named as in the service's own file
                {**p, "column": upload.dataset.column_mapping.get(p["field"], p["field"])}
                for p in upload.report.get("field_problems", [])[:500]
            ],
            "more_problems": max(0, len(upload.report.get("field_problems", [])) - 500),
            "waiting": upload.status == Upload.Status.VALIDATED,
            "working": upload.status in (Upload.Status.RECEIVED, Upload.Status.PUBLISHING),
            "job": job,
            "published": job.result
            if job and upload.status == Upload.Status.PUBLISHED and job.kind.endswith("publish")
            else None,
            "last_failed": job
            if job and job.status == job.Status.FAILED and upload.status == Upload.Status.VALIDATED
            else None,
        },
    )


@require_POST
@council_permission(MANAGE)
def upload_publish(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    try:
        actions.start_publish(upload, by=signed_in_user(request))
    except actions.DataError as exc:
        messages.error(request, str(exc))
        return redirect("insight:upload", pk=upload.pk)
    messages.success(request, _("Publishing has started. This page shows when it has finished."))
    return redirect("insight:upload", pk=upload.pk)


@require_POST
@council_permission(MANAGE)
def upload_discard(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    try:
        actions.discard_upload(upload, by=signed_in_user(request))
    except actions.DataError as exc:
        messages.error(request, str(exc))
        return redirect("insight:upload", pk=upload.pk)
    messages.success(request, _("Upload discarded. Nothing was published."))
    return redirect("insight:dataset", pk=upload.dataset_id)


@council_permission(MANAGE)
def upload_quarantine(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    text = actions.quarantine_csv(upload, by=signed_in_user(request))
    return csv_download(f"upload-{upload.pk}-rows-to-fix.csv", text)


# The gazetteer -----------------------------------------------------------------------------


@council_permission(MANAGE)
def gazetteer(request: HttpRequest) -> HttpResponse:
    """The council's address gazetteer: the current one, the latest uploads (with the problems
    of a refused one) and the upload form. Checking and importing is a background job."""
    user, council = _me(request)
    form = GazetteerForm(posted(request), request.FILES or None)

    def checking(uploaded: Gazetteer) -> HttpResponse:
        messages.success(
            request,
            _("The gazetteer is being checked. Nothing changes unless every line is right."),
        )
        assert uploaded.job is not None
        return redirect("core:job", job_id=uploaded.job.pk)

    def page(_problems: list[str]) -> HttpResponse:
        uploads = selectors.gazetteer_uploads(council)
        latest = uploads.first()
        return render(
            request,
            "insight/data/gazetteer.html",
            {
                "form": form,
                "current": uploads.filter(current=True).first(),
                "latest": latest,
                "problems": (latest.problems[:500] if latest else []),
                "uploads": uploads[:20],
            },
        )

    return upload(
        request,
        form,
        lambda data: actions.upload_gazetteer(
            council, by=user, name=data["file"].name, stream=data["file"]
        ),
        done=checking,
        page=page,
        errors=(actions.DataError,),
    )


# Linkage runs ------------------------------------------------------------------------------


@council_permission(MANAGE)
def runs(request: HttpRequest) -> HttpResponse:
    user, council = _me(request)
    form = RunForm(posted(request))
    if request.method == "POST" and form.is_valid():
        asked = timezone.now()
        try:
            run = actions.start_linkage(council, by=user, retrain=form.cleaned_data["retrain"])
        except actions.DataError as exc:
            messages.error(request, str(exc))
            return redirect("insight:runs")
        if selectors.run_lost_since(council, asked):
            messages.success(
                request,
                _(
                    "The previous linkage run had stopped: the background worker running it "
                    "stopped. It is now marked as failed and nothing from it was published. "
                    "A new run has started."
                ),
            )
        else:
            messages.success(request, _("The linkage run has started."))
        assert run.job is not None
        return redirect("core:job", job_id=run.job.pk)
    return render(
        request,
        "insight/data/runs.html",
        {
            "form": form,
            "runs": selectors.latest_runs(council),
            "current": current_run(council),
        },
    )


#: The linkage run's steps (its report's timings), as the run page names them
RUN_STEPS = {
    "read": gettext_lazy("Reading the records"),
    "standardise": gettext_lazy("Standardising the records and matching their addresses"),
    "model": gettext_lazy("Preparing the linkage model"),
    "score": gettext_lazy("Scoring pairs of records"),
    "cluster": gettext_lazy("Grouping records into people and households"),
    "publish": gettext_lazy("Publishing the results"),
}

#: count in a run's "flags" report -> its sentence, and whether it is said even when 0
FLAG_SENTENCES: dict[str, tuple[Any, bool]] = {
    "indicators": (
        ngettext_lazy(
            "%(n)s active indicator was checked.", "%(n)s active indicators were checked.", "n"
        ),
        True,
    ),
    "raised": (
        ngettext_lazy("%(n)s new flag was raised.", "%(n)s new flags were raised.", "n"),
        True,
    ),
    "reopened": (
        ngettext_lazy(
            "%(n)s flag was raised again for review.",
            "%(n)s flags were raised again for review.",
            "n",
        ),
        False,
    ),
    "updated": (
        ngettext_lazy(
            "%(n)s open flag has new evidence.", "%(n)s open flags have new evidence.", "n"
        ),
        False,
    ),
    "unchanged": (
        ngettext_lazy("%(n)s flag is unchanged.", "%(n)s flags are unchanged.", "n"),
        False,
    ),
    "cleared": (
        ngettext_lazy(
            "%(n)s flag no longer applies and was cleared.",
            "%(n)s flags no longer apply and were cleared.",
            "n",
        ),
        False,
    ),
    "unparseable": (
        ngettext_lazy(
            "%(n)s value could not be read as a number and was left out.",
            "%(n)s values could not be read as numbers and were left out.",
            "n",
        ),
        False,
    ),
}


def flag_sentences(counts: dict[str, Any]) -> list[str]:
    """What checking the early-help indicators after a run did, in sentences."""
    lines = []
    for key, (sentence, always) in FLAG_SENTENCES.items():
        n = int(counts.get(key) or 0)
        if n or always:
            lines.append(str(sentence % {"n": n}))
    return lines


@council_permission(MANAGE)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        LinkRun.objects.select_related("job"), pk=pk, council=current_council(request)
    )
    report = run.report or {}
    timings = report.get("timings_seconds", {})
    address = report.get("address_match")
    if address:
        rates = address.get("rates", {})
        address = {**address, "percent": {k: f"{v * 100:.1f}" for k, v in rates.items()}}
    return render(
        request,
        "insight/data/run.html",
        {
            "run": run,
            "report": report,
            "timings": [
                (str(RUN_STEPS[step]) if step in RUN_STEPS else step, seconds)
                for step, seconds in timings.items()
            ],
            "flags": flag_sentences(report["flags"]) if report.get("flags") else [],
            "can_review": request.user.has_perm("insight.review_flags", run.council),
            "address": address,
        },
    )


# What we process ---------------------------------------------------------------------------


@council_permission(MANAGE)
def processing(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    categories = dict(RestrictedCategory.choices)
    run = current_run(council)
    rows = []
    for dataset in selectors.processing_datasets(council):
        agreement = dataset.agreement
        rows.append(
            {
                "d": dataset,
                "a": agreement,
                "categories": [categories.get(c, c) for c in agreement.restricted_categories],
                "restricted_fields": [FIELD_LABELS.get(f, f) for f in dataset.restricted_fields],
                "in_force": agreement.in_force(),
            }
        )
    return render(request, "insight/data/processing.html", {"rows": rows, "run": run})
