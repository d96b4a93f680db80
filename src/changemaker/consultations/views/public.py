"""Pages for anyone, signed out too: the list, taking part (voting, adding and reporting
statements, anonymously with a cookie or signed in), the results and the public export."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.consultations import actions, adapter, charts, selectors
from changemaker.consultations.errors import ConsultationError
from changemaker.consultations.forms import ReportForm, StatementForm
from changemaker.consultations.models import Consultation, Participant, Statement
from changemaker.consultations.views.shared import (
    audience_only,
    consultation_or_404,
    proposal_sinks,
)
from changemaker.core import throttle
from changemaker.core.net import client_ip
from changemaker.core.views.base import current_council

COOKIE = "cm_participant"
VALUES = {"agree": 1, "disagree": -1, "pass": 0}


def _token(request: HttpRequest) -> str:
    return request.COOKIES.get(COOKIE, "") or getattr(request, "_cm_new_token", "")


def _participant(
    request: HttpRequest, consultation: Consultation, create: bool
) -> Participant | None:
    user = request.user if request.user.is_authenticated else None
    found = selectors.find_participant(consultation, user=user, token=_token(request))
    if found or not create:
        return found
    if user is None:  # a new anonymous participant: a few per address, not a flood
        throttle.hit(
            "consultation.new_participant",
            client_ip(request),
            consultation.pk,
            council=consultation.council,
        )
    if user is None and not _token(request):
        request._cm_new_token = secrets.token_urlsafe(24)  # type: ignore[attr-defined]
    return actions.participant_for(consultation, user=user, token=_token(request))


def _with_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    new = getattr(request, "_cm_new_token", "")
    if new:
        response.set_cookie(
            COOKIE,
            new,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def consultation_list(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    shown = selectors.visible_consultations(current_council(request), user)
    return render(request, "consultations/list.html", {"consultations": shown})


@audience_only
def take_part(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(request, slug)
    participant = _participant(request, consultation, create=False)
    statement = selectors.next_statement(consultation, participant)
    voted = participant.votes.count() if participant else 0
    return render(
        request,
        "consultations/take_part.html",
        {
            "consultation": consultation,
            "statement": statement,
            "voted": voted,
            "form": StatementForm(),
            "total": selectors.published_count(consultation),
        },
    )


@require_POST
@audience_only
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(request, slug)
    user = request.user if request.user.is_authenticated else None
    try:
        selectors.check_can_take_part(consultation, user)
        value = VALUES.get(request.POST.get("vote", ""))
        if value is None:
            raise ConsultationError(_("Choose agree, disagree or pass."))
        statement = selectors.statement(
            consultation, int(request.POST.get("statement", "-1") or -1)
        )
        if statement is None:
            raise ConsultationError(_("That statement is not part of this consultation."))
        participant = _participant(request, consultation, create=True)
        assert participant is not None
        throttle.hit("consultation.vote", participant.pk, council=consultation.council)
        actions.cast_vote(participant, statement, value)
    except (ConsultationError, ValueError) as exc:
        messages.error(
            request,
            str(exc)
            if isinstance(exc, ConsultationError)
            else _("Choose agree, disagree or pass."),
        )
    return _with_cookie(request, redirect("consultations:take-part", slug=slug))


@audience_only
def add_statement(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(request, slug)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            selectors.check_can_take_part(consultation, user)
            participant = _participant(request, consultation, create=True)
            assert participant is not None
            statement = actions.add_statement(participant, form.cleaned_data["text"])
        except ConsultationError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(
                request,
                _("Thank you. Your statement will be shown once it has been checked.")
                if statement.status == Statement.Status.PENDING
                else _("Thank you. Others can now vote on your statement."),
            )
            return _with_cookie(request, redirect("consultations:take-part", slug=slug))
    return _with_cookie(
        request,
        render(
            request,
            "consultations/add_statement.html",
            {"consultation": consultation, "form": form},
        ),
    )


@audience_only
def report(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    consultation = consultation_or_404(request, slug)
    statement = selectors.statement(consultation, number, published_only=True)
    if statement is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        participant = _participant(request, consultation, create=True)
        assert participant is not None
        actions.report_statement(statement, participant, form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A moderator will look at it."))
        return _with_cookie(request, redirect("consultations:take-part", slug=slug))
    return render(
        request,
        "consultations/report_form.html",
        {"consultation": consultation, "statement": statement, "form": form},
    )


@audience_only
def results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(request, slug)
    snapshot = selectors.latest_map(consultation)
    context: dict[str, Any] = {"consultation": consultation, "snapshot": snapshot}
    if snapshot is not None:
        texts, english = selectors.published_texts(consultation)
        context["picture"] = charts.opinion_picture(
            snapshot.result, texts, minimum=consultation.map_minimum, english=english
        )
    daily, by_month = selectors.votes_over_time(consultation)
    if by_month:
        context["by_month"] = True
    context["daily"] = daily
    context["participants"] = consultation.participants.count()
    if request.user.has_perm("consultations.manage", consultation.council):
        context["uniting"] = selectors.uniting_statements(consultation)
        context["sinks"] = proposal_sinks(consultation.council) if context["uniting"] else []
    return render(request, "consultations/results.html", context)


@audience_only
def export(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(request, slug)
    response = HttpResponse(adapter.export_polis(consultation), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-polis.zip"'
    return response
