"""Consultation pages. Thin: parse, call an action, render."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncDate, TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.consultations import actions
from changemaker.consultations.forms import (
    ConsultationForm,
    ImportForm,
    InviteForm,
    ReportForm,
    StatementForm,
)
from changemaker.consultations.models import Consultation, Participant, Statement, Vote
from changemaker.core import throttle
from changemaker.core.net import client_ip
from changemaker.core.views.base import council_permission, current_council, signed_in_user

COOKIE = "cm_participant"
VALUES = {"agree": 1, "disagree": -1, "pass": 0}


def _consultation(request: HttpRequest, slug: str) -> Consultation:
    return get_object_or_404(Consultation, council=current_council(request), slug=slug)


def _audience_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An invited-only consultation's pages are for its invited people and staff: others are
    sent to sign in, or refused once signed in."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        if not actions.may_see(_consultation(request, slug), user):
            if user is None:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return view(request, slug, *args, **kwargs)

    return wrapped


def _token(request: HttpRequest) -> str:
    return request.COOKIES.get(COOKIE, "") or getattr(request, "_cm_new_token", "")


def _participant(
    request: HttpRequest, consultation: Consultation, create: bool
) -> Participant | None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        key: dict[str, Any] = {"user": user}
    elif _token(request):
        key = {"browser_key": actions.browser_key(_token(request))}
    else:
        key = {}
    found = consultation.participants.filter(**key).first() if key else None
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


def next_statement(consultation: Consultation, participant: Participant | None) -> Statement | None:
    """The unvoted statement with the highest routing priority from the last map."""
    candidates = consultation.statements.filter(status=Statement.Status.PUBLISHED)
    if participant is not None:
        candidates = candidates.exclude(votes__participant=participant)
    snapshot = consultation.snapshots.first()
    priorities: dict[str, float] = snapshot.result.get("priorities", {}) if snapshot else {}
    new = max(priorities.values(), default=1.0) + 1.0  # new statements first, as Polis does
    ranked = sorted(candidates, key=lambda s: (-priorities.get(str(s.number), new), s.number))
    return ranked[0] if ranked else None


def consultation_list(request: HttpRequest) -> HttpResponse:
    items = Consultation.objects.filter(council=current_council(request))
    user = request.user if request.user.is_authenticated else None
    shown = [c for c in items if actions.may_see(c, user)]
    return render(request, "consultations/list.html", {"consultations": shown})


@_audience_only
def take_part(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    participant = _participant(request, consultation, create=False)
    statement = next_statement(consultation, participant)
    voted = participant.votes.count() if participant else 0
    return render(
        request,
        "consultations/take_part.html",
        {
            "consultation": consultation,
            "statement": statement,
            "voted": voted,
            "form": StatementForm(),
            "total": consultation.statements.filter(status=Statement.Status.PUBLISHED).count(),
        },
    )


@require_POST
@_audience_only
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    user = request.user if request.user.is_authenticated else None
    try:
        actions.check_can_take_part(consultation, user)
        value = VALUES.get(request.POST.get("vote", ""))
        if value is None:
            raise actions.ConsultationError(_("Choose agree, disagree or pass."))
        statement = consultation.statements.filter(
            number=int(request.POST.get("statement", "-1") or -1)
        ).first()
        if statement is None:
            raise actions.ConsultationError(_("That statement is not part of this consultation."))
        participant = _participant(request, consultation, create=True)
        assert participant is not None
        throttle.hit("consultation.vote", participant.pk, council=consultation.council)
        actions.cast_vote(participant, statement, value)
    except (actions.ConsultationError, ValueError) as exc:
        messages.error(
            request,
            str(exc)
            if isinstance(exc, actions.ConsultationError)
            else _("Choose agree, disagree or pass."),
        )
    return _with_cookie(request, redirect("consultations:take-part", slug=slug))


@_audience_only
def add_statement(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            actions.check_can_take_part(consultation, user)
            participant = _participant(request, consultation, create=True)
            assert participant is not None
            statement = actions.add_statement(participant, form.cleaned_data["text"])
        except actions.ConsultationError as exc:
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


@_audience_only
def report(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    consultation = _consultation(request, slug)
    statement = get_object_or_404(
        Statement, consultation=consultation, number=number, status=Statement.Status.PUBLISHED
    )
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


@_audience_only
def results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    snapshot = consultation.snapshots.first()
    texts = {  # removed statements, or those waiting for a moderator, are never shown
        s.number: s.text for s in consultation.statements.filter(status=Statement.Status.PUBLISHED)
    }
    context: dict[str, Any] = {"consultation": consultation, "snapshot": snapshot}
    if snapshot is not None:
        r = snapshot.result
        groups = []
        centres = [(float(g["center"][0]), float(g["center"][1])) for g in r.get("groups", [])]
        scale = max((abs(v) for c in centres for v in c), default=1.0) or 1.0
        for g, (cx, cy) in zip(r.get("groups", []), centres, strict=True):
            groups.append(
                {
                    "id": g["id"],
                    "label": chr(ord("A") + int(g["id"])),
                    "size": g["size"],
                    "x": round(200 + 140 * cx / scale),
                    "y": round(150 - 95 * cy / scale),
                    "r": 8 + min(40, int(g["size"]) ** 0.5 * 2),
                    "representative": [
                        {**s, "text": texts.get(int(s["statement"]), "")}
                        for s in g.get("representative", [])
                    ],
                }
            )
        context.update(
            {
                "groups": groups,
                "consensus": {
                    d: [
                        {**c, "text": texts.get(int(c["statement"]), "")}
                        for c in r.get("consensus", {}).get(d, [])
                    ]
                    for d in ("agree", "disagree")
                },
                "divisive": [
                    {**d, "text": texts.get(int(d["statement"]), "")}
                    for d in r.get("divisive", [])[:5]
                ],
            }
        )
    votes = Vote.objects.filter(statement__consultation=consultation)
    daily = list(
        votes.annotate(day=TruncDate("voted_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    if len(daily) > 31:  # a long conversation: by month, so the table stays readable
        daily = list(
            votes.annotate(day=TruncMonth("voted_at"))
            .values("day")
            .annotate(n=Count("id"))
            .order_by("day")
        )
        context["by_month"] = True
    context["daily"] = daily
    context["participants"] = consultation.participants.count()
    return render(request, "consultations/results.html", context)


@_audience_only
def export(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    response = HttpResponse(actions.export_polis(consultation), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-polis.zip"'
    return response


@council_permission("consultations.manage")
def staff_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Every statement, with those removed or waiting for a moderator (audited)."""
    consultation = _consultation(request, slug)
    body = actions.export_polis(consultation, by=signed_in_user(request))
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{consultation.slug}-polis-all-statements.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response


# Staff -----------------------------------------------------------------------------------


@council_permission("consultations.manage")
def create(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if Consultation.objects.filter(council=council, slug=data["slug"]).exists():
            form.add_error("slug", _("A consultation with this short name already exists"))
        else:
            consultation = actions.create_consultation(
                council,
                by=signed_in_user(request),
                slug=data["slug"],
                question=data["question"],
                background=data["background"],
                moderation=data["moderation"],
                audience=data["audience"],
                seeds=data["seeds"],
                **form.dates(),
            )
            messages.success(request, _("Consultation created and open"))
            return redirect("consultations:take-part", slug=consultation.slug)
    return render(request, "consultations/staff/create.html", {"form": form})


@council_permission("consultations.manage")
def moderate(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    if request.method == "POST":
        statement = get_object_or_404(
            Statement,
            consultation=consultation,
            number=int(request.POST.get("statement", "-1") or -1),
        )
        try:
            actions.moderate(
                statement,
                by=signed_in_user(request),
                publish=request.POST.get("decision") == "publish",
                reason=request.POST.get("reason", ""),
            )
        except actions.ConsultationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Decision saved"))
        return redirect("consultations:moderate", slug=slug)
    reported = Counter(
        consultation.statements.filter(reports__isnull=False).values_list("number", flat=True)
    )
    queue = consultation.statements.filter(status=Statement.Status.PENDING)
    flagged = consultation.statements.filter(number__in=reported, status="published").annotate(
        n_reports=Count("reports")
    )
    return render(
        request,
        "consultations/staff/moderate.html",
        {"consultation": consultation, "queue": queue, "flagged": flagged},
    )


@council_permission("consultations.manage")
def import_export(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:  # the import itself runs as a background job: the job page follows it
            job = actions.start_polis_import(
                council,
                form.uploads(),
                slug=data["slug"],
                question=data["question"],
                by=signed_in_user(request),
            )
        except actions.ConsultationError as exc:
            form.add_error("slug", str(exc))
        else:
            return redirect("core:job", job_id=job.pk)
    return render(request, "consultations/staff/import.html", {"form": form})


@council_permission("consultations.manage")
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Who may take part in an invited-only consultation."""
    consultation = _consultation(request, slug)
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
