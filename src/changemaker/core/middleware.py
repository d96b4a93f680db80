from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp import user_has_device

from changemaker.core.models import Council
from changemaker.core.redirects import referring_page
from changemaker.core.throttle import Throttled


def council_for_host(host: str) -> Council | None:
    """The council served on this host (its main web address or another of its addresses);
    else the default council; else the first one."""
    name = host.split(":", 1)[0].lower().rstrip(".")
    councils = Council.objects.all()
    return (
        councils.filter(Q(domain__iexact=name) | Q(other_domains__host=name)).first()
        or councils.filter(is_default=True).first()
        or councils.first()
    )


class CurrentCouncilMiddleware:
    """Sets ``request.council``: one install can serve several councils, one per host name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.council = council_for_host(request.get_host())  # type: ignore[attr-defined]
        return self.get_response(request)


class ThrottledMiddleware:
    """A request refused by a throttle gets the 429 page (with Retry-After), never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Throttled):
            return None
        minutes = max(1, -(-exception.retry_after // 60))
        response = render(request, "429.html", {"minutes": minutes}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


class MethodNotAllowedMiddleware:
    """A request in a method the view does not take (a button's address opened with a link:
    ``require_POST`` answers 405 with an empty body) gets the site's page saying what happened,
    with a way on. The status and the Allow header stay; a 405 that has its own words (the
    open-data API's) is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed) or response.content:
            return response
        page = render(request, "405.html", {"back": referring_page(request)}, status=405)
        page["Allow"] = response["Allow"]
        return page


# Pages a person who still owes the second factor may open: setting it up, giving it, signing
# out, and the public pages about the service and its language. Nothing with personal data.
TWO_FACTOR_EXEMPT = frozenset(
    {
        "core:two-factor",
        "core:two-factor-link",
        "core:sign-in-code",
        "core:sign-out",
        "core:language",
        "core:accessibility",
        "core:privacy",
        "core:cookies",
        "set_language",
        "media",
    }
)


class TwoFactorMiddleware:
    """People whose role sees personal data (``User.needs_two_factor``) reach no other page until
    they have set up two-factor sign-in and given a code (or recovery code) in this session.

    They are sent to set it up, or to give the code, and then back to the page they asked for.
    Only ``CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR`` (development only: production refuses it)
    turns this off.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if settings.CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_EXEMPT:
            return None
        if not user.needs_two_factor(getattr(request, "council", None)):
            return None
        return two_factor_step(request)


def two_factor_step(request: HttpRequest) -> HttpResponse:
    """Send a signed-in person to set up two-factor sign-in, or to give a code, then back."""
    user = request.user
    step = "core:sign-in-code" if user_has_device(user, confirmed=True) else "core:two-factor"
    return redirect(f"{reverse(step)}?{urlencode({'next': request.path})}")
