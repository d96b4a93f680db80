"""Pages for anyone, signed out too: the start page and asking for help."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from changemaker.core import throttle
from changemaker.core.models import User
from changemaker.core.net import client_ip
from changemaker.core.views.base import current_council
from changemaker.support import actions
from changemaker.support.errors import SupportError
from changemaker.support.forms import ResidentRequestForm
from changemaker.support.models import HelpRequest
from changemaker.support.views.shared import store, stored, summary

ASK = "support.ask"  # session key: what someone typed, until they confirm it


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "support/start.html")


def _ask_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> ResidentRequestForm:
    """Signed-in residents are emailed at their account's address; others may give one."""
    form = ResidentRequestForm(data, council=current_council(request), **kwargs)
    if request.user.is_authenticated:
        del form.fields["email"]
    return form


def ask(request: HttpRequest) -> HttpResponse:
    """Question page for residents (no account needed). Keeps what was typed; Continue goes
    to check answers."""
    current_council(request)
    if request.method == "POST":
        form = _ask_form(request, request.POST)
        if form.is_valid():
            store(request, ASK)
            return redirect("support:ask-check")
    else:
        typed = stored(request, ASK)
        name = request.user.name if isinstance(request.user, User) else ""
        form = _ask_form(request, typed) if typed else _ask_form(request, initial={"name": name})
    return render(request, "support/ask.html", {"form": form})


def ask_check(request: HttpRequest) -> HttpResponse:
    typed = stored(request, ASK)
    form = _ask_form(request, typed)
    if typed is None or not form.is_valid():
        return redirect("support:ask")
    if request.method == "POST":
        user = request.user if isinstance(request.user, User) else None
        data = dict(form.cleaned_data)
        if user is not None:
            data["email"] = user.email
        referred = bool(data.get("referrer_name"))
        throttle.hit(
            "support.help_request",
            *(("account", user.pk) if user is not None else ("address", client_ip(request))),
            council=current_council(request),
        )
        try:
            created = actions.submit_help_request(
                current_council(request),
                source=HelpRequest.Source.REFERRER if referred else HelpRequest.Source.RESIDENT,
                by=user,
                requester=user,
                **data,
            )
        except SupportError as exc:
            messages.error(request, str(exc))
            return redirect("support:ask")
        del request.session[ASK]
        if user is None:
            return render(request, "support/ask_sent.html", {"reference": created.pk})
        messages.success(
            request,
            _("Request sent. A coordinator will call you to check the details."),
        )
        return redirect("support:my-requests")
    return render(request, "support/check.html", {"rows": summary(form), "change": "support:ask"})
