"""Residents' own things: proposing and supporting ideas, and voting (checking who votes,
a voting code, a manual check, the ballot). A voting-code voter need not be signed in."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.budgeting import actions, selectors
from changemaker.budgeting.engine.ballots import money_left
from changemaker.budgeting.forms import (
    CodeForm,
    EligibilityForm,
    IdeaForm,
    ManualCheckForm,
)
from changemaker.budgeting.models import (
    Ballot,
    Eligibility,
    Evidence,
    Heading,
    Phase,
    Process,
    Project,
    VotingCode,
)
from changemaker.budgeting.views.shared import _marks, _process
from changemaker.core.models import Ward
from changemaker.core.views.base import signed_in_user

VOTER = "pb.voter"  # session: {process pk: {"code": id, "token": the secret that holds it}}


def idea_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = IdeaForm(request.POST or None, request.FILES or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.submit_idea(
                process,
                author=signed_in_user(request),
                **form.cleaned_data,
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Thank you. Your idea has been sent for checking.")
                if process.moderation == Process.Moderation.BEFORE
                else _("Thank you. Your idea is published, and officers will check it."),
            )
            return redirect("budgeting:idea", slug=slug, code=project.code)
    return render(request, "budgeting/idea_form.html", {"process": process, "form": form})


@require_POST
def idea_support(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = _process(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    project = get_object_or_404(Project, process=process, code=code)
    if not selectors.can_see_idea(request.user, project):
        raise Http404
    try:
        if not project.is_public:
            raise actions.ActionRefused(_("You can support this idea once it is published."))
        if request.POST.get("withdraw") == "yes":
            actions.withdraw_support(project, signed_in_user(request))
            messages.success(request, _("You no longer support this idea"))
        else:
            actions.support_idea(project, signed_in_user(request))
            messages.success(request, _("You support this idea"))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("budgeting:idea", slug=slug, code=code)


# Voting ----------------------------------------------------------------------------------


def _voter(request: HttpRequest, process: Process) -> dict[str, Any] | None:
    """Who is voting here: a signed-in resident already checked for this process (their ward
    is fixed in the database), or the voting code this browser holds."""
    if request.user.is_authenticated:
        eligibility = Eligibility.objects.filter(process=process, user=request.user).first()
        if eligibility is not None:
            return {"account": True, "ward": eligibility.ward_id}
    state: dict[str, Any] | None = request.session.get(VOTER, {}).get(str(process.pk))
    if not state or not state.get("code"):
        return None
    code = VotingCode.objects.filter(process=process, pk=state["code"]).first()
    if code is None or code.session_hash != selectors.session_token_hash(state.get("token", "")):
        return None
    return {"code": code, "token": state["token"], "ward": code.ward_id}


def _remember(request: HttpRequest, process: Process, **state: Any) -> None:
    voters = request.session.get(VOTER, {})
    voters[str(process.pk)] = state
    request.session[VOTER] = voters


def _voter_ward(process: Process, state: dict[str, Any]) -> Ward | None:
    """The voter's ward: fixed at their check, or the voting code's."""
    return process.council.wards.filter(pk=state.get("ward") or 0).first()


def _to_ballot(request: HttpRequest, process: Process, refused: str = "") -> HttpResponse:
    """To the first budget this voter may vote in: council-wide ones and their own ward's."""
    state = _voter(request, process) or {}
    first = selectors.headings_for(process, _voter_ward(process, state)).first()
    if refused:
        messages.error(request, refused)
    if first is None:
        messages.error(request, _("There is no budget to vote in for where you live."))
        return redirect("budgeting:detail", slug=process.slug)
    return redirect("budgeting:ballot", slug=process.slug, heading=first.pk)


def vote_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Check who is voting: a signed-in resident with a verified email, or a voting code."""
    process = _process(request, slug)
    if process.phase != Phase.VOTING:
        return render(request, "budgeting/vote_closed.html", {"process": process}, status=403)
    if _voter(request, process):
        return _to_ballot(request, process)
    user = request.user
    if process.evidence == Evidence.CODE:
        return redirect("budgeting:vote-code", slug=slug)
    if not user.is_authenticated:
        return render(request, "budgeting/vote_how.html", {"process": process})
    if not signed_in_user(request).email_verified:
        return render(request, "budgeting/vote_verify_email.html", {"process": process})
    form = EligibilityForm(request.POST or None, register=process.evidence == Evidence.REGISTER)
    if request.method == "POST" and form.is_valid():
        try:
            # Only the ward (and the evidence used) is kept, never the postcode or birth date.
            actions.check_eligibility(process, signed_in_user(request), **form.cleaned_data)
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            return _to_ballot(request, process)
    checks = process.manual_checks.filter(user=signed_in_user(request)).order_by("-created_at")
    context = {"process": process, "form": form, "check": checks.first()}
    return render(request, "budgeting/vote_eligibility.html", context)


def vote_manual_check(request: HttpRequest, slug: str) -> HttpResponse:
    """A resident the register did not find asks an officer to check by hand."""
    process = _process(request, slug)
    if process.phase != Phase.VOTING:
        return render(request, "budgeting/vote_closed.html", {"process": process}, status=403)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = ManualCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_manual_check(process, signed_in_user(request), **form.cleaned_data)
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Thank you. An officer will check, usually within 2 working days. "
                    "Come back to this page to see the decision."
                ),
            )
            return redirect("budgeting:vote", slug=slug)
    return render(request, "budgeting/vote_manual_check.html", {"process": process, "form": form})


def vote_code(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    if process.phase != Phase.VOTING:
        return render(request, "budgeting/vote_closed.html", {"process": process}, status=403)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        state = request.session.get(VOTER, {}).get(str(process.pk)) or {}
        token = state.get("token") or secrets.token_urlsafe(32)
        try:
            code = actions.redeem_code(process, form.cleaned_data["code"], token=token)
        except actions.ActionRefused as exc:
            form.add_error("code", str(exc))
        else:
            _remember(request, process, code=code.pk, token=token)
            return _to_ballot(request, process)
    return render(request, "budgeting/vote_code.html", {"process": process, "form": form})


def ballot(request: HttpRequest, slug: str, heading: int) -> HttpResponse:
    process = _process(request, slug)
    head = get_object_or_404(Heading, process=process, pk=heading)
    if process.phase != Phase.VOTING:
        return render(request, "budgeting/vote_closed.html", {"process": process}, status=403)
    state = _voter(request, process)
    if not state:
        return redirect("budgeting:vote", slug=slug)
    ward = _voter_ward(process, state)
    allowed = selectors.headings_for(process, ward)
    if not allowed.filter(pk=head.pk).exists():
        return _to_ballot(
            request,
            process,
            _("%(budget)s is for people who live in that ward.") % {"budget": head.name},
        )
    projects = list(head.projects.filter(status=Project.Status.SHORTLISTED))
    key: dict[str, Any] = (
        {"voter": request.user} if state.get("account") else {"code": state.get("code")}
    )
    existing = Ballot.objects.filter(process=process, heading=head, **key).first()
    current = (
        {m.project.code: m.value for m in existing.marks.select_related("project")}
        if existing
        else {}
    )
    error = ""
    if request.method == "POST":
        try:
            current = _marks(process, projects, request.POST)
            cast = actions.cast_ballot(
                process,
                head,
                current,
                voter=signed_in_user(request) if state.get("account") else None,
                code=state.get("code"),
                code_token=state.get("token", ""),
            )
        except actions.ActionRefused as exc:
            error = str(exc)
        else:
            return render(
                request,
                "budgeting/vote_done.html",
                {
                    "process": process,
                    "heading": head,
                    "changed": existing is not None,
                    "by_code": bool(state.get("code")),
                    "reference": selectors.receipt_reference(cast),
                },
            )
    costs = {p.code: p.cost for p in projects}
    left = money_left(selectors.rules_for(process, head), costs, [c for c in current if c in costs])
    context = {
        "process": process,
        "heading": head,
        "projects": projects,
        "current": current,
        "error": error,
        "existing": existing,
        "others": allowed.exclude(pk=head.pk),
        "left": left,
        "over": -left,
    }
    return render(request, "budgeting/ballot.html", context, status=400 if error else 200)


@require_POST
def money_left_partial(request: HttpRequest, slug: str, heading: int) -> HttpResponse:
    """htmx: the money left as the resident ticks projects (the form works without it)."""
    process = _process(request, slug)
    head = get_object_or_404(Heading, process=process, pk=heading)
    projects = list(head.projects.filter(status=Project.Status.SHORTLISTED))
    costs = {p.code: p.cost for p in projects}
    chosen = [c for c in request.POST.getlist("project") if c in costs]
    left = money_left(selectors.rules_for(process, head), costs, chosen)
    context = {"left": left, "over": -left, "heading": head}
    return render(request, "budgeting/_money_left.html", context)
