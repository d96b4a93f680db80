"""Placeholder views: being built (issue 6)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest) -> HttpResponse:
    raise Http404


search = flags = my_access = statistics = _todo
