"""Pages for anyone, signed in or not: the one-click unsubscribe from an email's link.

A mail program's one-click unsubscribe (RFC 8058) posts ``List-Unsubscribe=One-Click`` to
the link with no cookie and no form token, so the POST is exempt from CSRF: the signed,
random token in the link is what allows it. The link names no one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from changemaker.core import throttle
from changemaker.core.net import client_ip
from changemaker.listening import actions, selectors


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    council = getattr(request, "council", None)
    if request.method == "POST":
        # a guessing script gets nowhere (the keys are random) but is stopped all the same
        throttle.hit("listening.unsubscribe", client_ip(request), council=council)
        try:
            actions.unsubscribe(token, council=council)
        except actions.ListeningError as exc:
            return render(request, "listening/unsubscribe.html", {"error": str(exc)}, status=404)
        return render(request, "listening/unsubscribe.html", {"done": True})
    valid = selectors.preference_for_token(token) is not None
    return render(
        request,
        "listening/unsubscribe.html",
        {"error": "" if valid else actions.INVALID_LINK},
        status=200 if valid else 404,
    )
