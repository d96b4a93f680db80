"""Engagement staff's pages: start a consultation, moderate, invite, import a Polis
conversation and export every statement. Each needs ``consultations.manage``."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.consultations import actions, adapter, selectors
from changemaker.consultations.errors import ConsultationError
from changemaker.consultations.forms import (
    ConsultationForm,
    ImportForm,
    InviteForm,
    ModerationForm,
    WelshForm,
)
from changemaker.consultations.models import Statement
from changemaker.consultations.views.shared import consultation_or_404
from changemaker.core.registry import PROPOSALS, Evidence, ProposalRefused
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.core.views.uploads import upload


@council_permission("consultations.manage")
def staff_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Every statement, with those removed or waiting for a moderator (audited)."""
    consultation = consultation_or_404(request, slug)
    body = adapter.export_polis(consultation, by=signed_in_user(request))
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{consultation.slug}-polis-all-statements.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response


@council_permission("consultations.manage")
def create(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if selectors.slug_taken(council, data["slug"]):
            form.add_error("slug", _("A consultation with this short name already exists"))
        else:
            consultation = actions.create_consultation(
                council,
                by=signed_in_user(request),
                slug=data["slug"],
                question=data["question"],
                question_cy=data["question_cy"],
                background=data["background"],
                background_cy=data["background_cy"],
                moderation=data["moderation"],
                audience=data["audience"],
                seeds=data["seeds"],
                seeds_cy=data["seeds_cy"],
                min_participants=data["min_participants"],
                **form.dates(),
            )
            messages.success(request, _("Consultation created and open"))
            return redirect("consultations:take-part", slug=consultation.slug)
    return render(request, "consultations/staff/create.html", {"form": form})


@council_permission("consultations.manage")
def moderate(request: HttpRequest, slug: str) -> HttpResponse:
    """Statements waiting to be shown and those residents reported (with their reasons). A
    refused decision (removing without a reason) comes back as an error by its field."""
    consultation = consultation_or_404(request, slug)
    failed: ModerationForm | None = None
    if request.method == "POST":
        statement = selectors.statement(
            consultation, int(request.POST.get("statement", "-1") or -1)
        )
        if statement is None:
            raise Http404
        form = ModerationForm(request.POST, number=statement.number)
        if form.is_valid():
            try:
                actions.moderate(
                    statement,
                    by=signed_in_user(request),
                    publish=form.cleaned_data["decision"] == "publish",
                    reason=form.cleaned_data["reason"],
                )
            except ConsultationError as exc:
                form.add_error("reason", str(exc))
            else:
                messages.success(request, _("Decision saved"))
                return redirect("consultations:moderate", slug=slug)
        failed = form

    def decisions(statements: Iterable[Statement]) -> list[tuple[Statement, ModerationForm]]:
        return [
            (
                s,
                failed
                if failed is not None and failed.number == s.number
                else ModerationForm(number=s.number),
            )
            for s in statements
        ]

    queue, flagged = selectors.moderation_queue(consultation)
    return render(
        request,
        "consultations/staff/moderate.html",
        {
            "consultation": consultation,
            "queue": decisions(queue),
            "flagged": decisions(flagged),
            "form": failed,
            "welsh_missing": selectors.welsh_missing(consultation),
        },
    )


@council_permission("consultations.manage")
def welsh(request: HttpRequest, slug: str) -> HttpResponse:
    """The Welsh version of the consultation and of each statement people can see."""
    consultation = consultation_or_404(request, slug)
    statements = selectors.published_statements(consultation)
    form = WelshForm(request.POST or None, consultation=consultation, statements=statements)
    if request.method == "POST" and form.is_valid():
        actions.translate(
            consultation,
            by=signed_in_user(request),
            question_cy=form.cleaned_data["question_cy"],
            background_cy=form.cleaned_data["background_cy"],
            statements_cy=form.statements_cy(),
        )
        messages.success(request, _("Welsh version saved"))
        return redirect("consultations:moderate", slug=slug)
    return render(
        request,
        "consultations/staff/welsh.html",
        {"consultation": consultation, "form": form},
    )


@council_permission("consultations.manage")
def import_export(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    return upload(  # the import itself runs as a background job: the job page follows it
        request,
        form,
        lambda data: actions.start_polis_import(
            council,
            form.uploads(),
            slug=data["slug"],
            question=data["question"],
            by=signed_in_user(request),
        ),
        done=lambda job: redirect("core:job", job_id=job.pk),
        page=lambda _problems: render(request, "consultations/staff/import.html", {"form": form}),
        field="slug",
        errors=(ConsultationError,),
    )


@council_permission("consultations.manage")
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Who may take part in an invited-only consultation."""
    consultation = consultation_or_404(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        missing = actions.invite(
            consultation, form.cleaned_data["emails"], by=signed_in_user(request)
        )
        if missing:
            # partly refused: not a success banner
            messages.warning(
                request,
                _(
                    "Invited. These addresses have no account yet, so ask "
                    "them to create one and invite them again: %(list)s"
                )
                % {"list": ", ".join(missing)},
            )
        else:
            messages.success(request, _("Invited"))
        return redirect("consultations:invite", slug=slug)
    return render(
        request,
        "consultations/staff/invite.html",
        {"consultation": consultation, "form": form, "invited": consultation.invited.count()},
    )


@require_POST
@council_permission("consultations.manage")
def propose_statement(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A statement every opinion group agreed with becomes something elsewhere (a budget
    idea) through the ``proposals`` hook, carrying how widely it was agreed."""
    consultation = consultation_or_404(request, slug)
    council = current_council(request)
    uniting = {s.number: s for s in selectors.uniting_statements(consultation)}
    statement = uniting.get(number)
    sink = PROPOSALS.get(request.POST.get("sink", ""))
    if statement is None or sink is None:
        raise Http404
    people = consultation.participants.count()
    evidence = Evidence(
        summary=_(
            "Every opinion group in the consultation ‘%(question)s’ agreed with this "
            "statement (%(people)s people took part)."
        )
        % {"question": consultation.question, "people": people},
        count=people,
        source=f"consultations.statement:{statement.pk}",
    )
    try:
        url = sink.make(
            council,
            request.POST.get("target", ""),
            by=signed_in_user(request),
            title=statement.text,
            text=statement.text,
            evidence=evidence,
        )
    except ProposalRefused as exc:
        messages.error(request, str(exc))
        return redirect("consultations:results", slug=consultation.slug)
    messages.success(request, _("Done: it is waiting to be checked like any other."))
    return redirect(url)
