from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from changemaker.core.models import Council
from changemaker.core.throttle import Throttled


def council_for_host(host: str) -> Council | None:
    """The council served on this host; else the default council; else the first one."""
    name = host.split(":", 1)[0].lower()
    councils = Council.objects.all()
    return (
        councils.filter(domain__iexact=name).first()
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
