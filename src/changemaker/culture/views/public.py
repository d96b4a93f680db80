"""Taking part: anyone with a link from their invitation email, signed in or not.

The link's token is checked once and the session then holds which invitation is being
answered; answers are saved on every page (save and come back: the link works until the
answers are sent). One norm a page, no JavaScript needed. Sending them makes a response tied
to no one and forgets the invitation from the session.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from changemaker.culture import actions, selectors
from changemaker.culture.actions import ActionError
from changemaker.culture.forms import AnswersForm, CharacteristicForm, CommentForm
from changemaker.culture.models import Invitation
from changemaker.culture.welsh import option_label

SESSION_KEY = "culture.invitation"
SAVE_AND_LEAVE = "leave"


def _current(request: HttpRequest) -> Invitation | None:
    return selectors.invitation_by_pk(request.session.get(SESSION_KEY))


def _not_working(request: HttpRequest) -> HttpResponse:
    return render(request, "culture/take/not_working.html", status=404)


def take_start(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email: remembered in the session, then the start page (no token in
    the address bar from here on)."""
    found = selectors.invitation(token)
    if found is None:
        return _not_working(request)
    request.session.cycle_key()
    request.session[SESSION_KEY] = found.pk
    return redirect("culture:take-intro")


def take_intro(request: HttpRequest) -> HttpResponse:
    found = _current(request)
    if found is None:
        return _not_working(request)
    pages = selectors.question_pages(found.wave)
    return render(
        request,
        "culture/take/intro.html",
        {"wave": found.wave, "pages": len(pages), "saved": bool(found.draft)},
    )


def _next(found: Invitation, number: int, pages: int, leaving: bool) -> HttpResponse:
    if leaving:
        return redirect("culture:take-saved")
    if number < pages:
        return redirect("culture:take-page", number + 1)
    if found.wave.comment_question:
        return redirect("culture:take-comment")
    return _after_comment(found)


def _after_comment(found: Invitation) -> HttpResponse:
    if found.wave.characteristic:
        return redirect("culture:take-about")
    return redirect("culture:take-check")


def take_comment(request: HttpRequest) -> HttpResponse:
    """The wave's optional comment question, after the norms' pages."""
    found = _current(request)
    if found is None or not found.wave.comment_question:
        return _not_working(request)
    form = CommentForm(request.POST or None, wave=found.wave, initial=found.draft)
    pages = len(selectors.question_pages(found.wave))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_answers(found, {"comment": form.cleaned_data["comment"]})
        except ActionError:
            return _not_working(request)
        if SAVE_AND_LEAVE in request.POST:
            return redirect("culture:take-saved")
        return _after_comment(found)
    return render(request, "culture/take/comment.html", {"form": form, "pages": pages})


def take_page(request: HttpRequest, number: int) -> HttpResponse:
    found = _current(request)
    if found is None:
        return _not_working(request)
    pages = selectors.question_pages(found.wave)
    if not 1 <= number <= len(pages):
        return _not_working(request)
    _scale, label, items = pages[number - 1]
    form = AnswersForm(request.POST or None, items=items, initial=found.draft)
    if request.method == "POST" and form.is_valid():
        answers = {code: value for code, value in form.cleaned_data.items() if value}
        try:
            actions.save_answers(found, answers)
        except ActionError:
            return _not_working(request)
        return _next(found, number, len(pages), SAVE_AND_LEAVE in request.POST)
    context = {"form": form, "label": label, "number": number, "pages": len(pages)}
    return render(request, "culture/take/page.html", context)


def take_about(request: HttpRequest) -> HttpResponse:
    found = _current(request)
    if found is None or not found.wave.characteristic:
        return _not_working(request)
    form = CharacteristicForm(request.POST or None, wave=found.wave, initial=found.draft)
    pages = len(selectors.question_pages(found.wave))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_answers(found, {"characteristic": form.cleaned_data["characteristic"]})
        except ActionError:
            return _not_working(request)
        if SAVE_AND_LEAVE in request.POST:
            return redirect("culture:take-saved")
        return redirect("culture:take-check")
    context = {"form": form, "pages": pages, "comment": bool(found.wave.comment_question)}
    return render(request, "culture/take/about.html", context)


def _summary(found: Invitation) -> list[dict[str, Any]]:
    words = dict(selectors.ANSWERS)
    return [
        {
            "number": n,
            "label": label,
            "answers": [(it, words.get(str(found.draft.get(it.code, "")))) for it in items],
        }
        for n, (_scale, label, items) in enumerate(selectors.question_pages(found.wave), start=1)
    ]


def _characteristic(found: Invitation) -> str:
    """The answer about you in the reader's language ("" for Prefer not to say)."""
    value = str(found.draft.get("characteristic", ""))
    return option_label(found.wave, value) if value else ""


def take_check(request: HttpRequest) -> HttpResponse:
    found = _current(request)
    if found is None:
        return _not_working(request)
    if request.method == "POST":
        try:
            actions.submit_response(found)
        except ActionError:
            return _not_working(request)
        request.session.pop(SESSION_KEY, None)
        return redirect("culture:take-done")
    context = {
        "wave": found.wave,
        "summary": _summary(found),
        "characteristic": _characteristic(found),
        "comment": found.draft.get("comment", ""),
    }
    return render(request, "culture/take/check.html", context)


def take_saved(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return render(request, "culture/take/saved.html")


def take_done(request: HttpRequest) -> HttpResponse:
    return render(request, "culture/take/done.html")
