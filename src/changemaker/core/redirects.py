"""Where to send a person on: a page of this site that opens with a plain link.

A button's web address (a view that takes POST only) is no place to send anyone: opened with a
link it can only answer 405. The sign-in's ``next`` and the 405 page's way back use these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme


def _closure(func: Callable[..., Any]) -> dict[str, Any]:
    code = getattr(func, "__code__", None)
    cells = getattr(func, "__closure__", None) or ()
    if code is None:
        return {}
    return {name: cell.cell_contents for name, cell in zip(code.co_freevars, cells, strict=True)}


def _methods(view: Callable[..., Any]) -> frozenset[str] | None:
    """The methods a view takes, where its code says so: a class-based view's handlers, or
    Django's ``require_http_methods`` (``require_POST``...) anywhere among its decorators (they
    keep their list in the closure; ``functools.wraps`` links each layer to the next)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        names = view_class.http_method_names
        return frozenset(name.upper() for name in names if hasattr(view_class, name))
    layer: Callable[..., Any] | None = view
    while layer is not None:
        methods = _closure(layer).get("request_method_list")
        if methods is not None:
            return frozenset(methods)
        layer = getattr(layer, "__wrapped__", None)
    return None


def refuses_get(target: str | Callable[..., Any]) -> bool:
    """Whether this path of the site (or this view) answers a plain link with 405."""
    if isinstance(target, str):
        try:
            target = resolve(urlsplit(target).path).func
        except Resolver404:
            return False  # not found: the 404 page says so
    methods = _methods(target)
    return methods is not None and "GET" not in methods


def same_site(request: HttpRequest, url: str) -> bool:
    """Whether ``url`` stays on this site (no open redirects)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, request.is_secure()
    )


def referring_page(request: HttpRequest) -> str | None:
    """The page of this site the person came from (path and query), if it opens with a link
    and is not the page they are on; else None."""
    referer = request.META.get("HTTP_REFERER", "")
    if not same_site(request, referer):
        return None
    parts = urlsplit(referer)
    path = parts.path or "/"
    page = f"{path}?{parts.query}" if parts.query else path
    if path == request.path or not same_site(request, page) or refuses_get(path):
        return None  # "//elsewhere.example/" is a path of this site but a link to another
    return page
