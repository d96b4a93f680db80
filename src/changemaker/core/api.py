"""The public open-data API at ``/api/``: read-only, no sign-in, never personal data.

Core builds one :class:`ninja.NinjaAPI` (django-ninja: typed endpoints, an OpenAPI 3.1 schema at
``/api/openapi.json`` from the code itself). Core's own router gives the council and its wards;
each capability brings its own router (``Capability.api``, from its ``api.py``), added under the
capability's label: ``/api/budgeting/...``. Core imports no capability: it reads the registry.

Every list is paginated (``limit``, at most :data:`MAX_LIMIT`, and ``offset``) and comes as JSON
or, with ``?format=csv``, as a formula-safe CSV (:mod:`changemaker.core.csvsafe`). Every answer
is public and cacheable (``Cache-Control: public, max-age=...``), readable from any web page
(``Access-Control-Allow-Origin: *``: no cookies are ever read) and throttled per address
(the ``api.read`` throttle). There is no interactive documentation page: its scripts would come
from a CDN, which the content security policy forbids; the schema and the README say it all.

The data is published under the Open Government Licence v3.0 (:data:`LICENCE`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Router, Schema
from pydantic import create_model

from changemaker.core import throttle
from changemaker.core.net import client_ip
from changemaker.core.registry import CAPABILITIES
from changemaker.core.views.base import current_council
from changemaker.core.views.downloads import csv_download

VERSION = "1.0.0"
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
#: Rows per page when the request does not say, and the most it may ask for.
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: How long a cache (a browser, a proxy) may keep an answer.
CACHE_SECONDS = 300

DESCRIPTION = f"""Open data from the council's Changemaker: participatory budgets (processes,
budgets, published ideas, results), consultations (published statements with how many agreed,
disagreed or passed, once enough people have taken part), the practice library and the staff
survey's organisation-wide scores. Nothing about any person is ever published here.

Every list takes `limit` (1 to {MAX_LIMIT}, default {DEFAULT_LIMIT}) and `offset`, and comes as
JSON or, with `format=csv`, as CSV. No sign-in is needed. The data is published under the
[{LICENCE}]({LICENCE_URL}): you may copy, publish, adapt and use it, also commercially, if you
say where it came from ("Contains public sector information licensed under the Open Government
Licence v3.0")."""


class Page(Schema):
    """The query of every list: which page, and JSON or CSV."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset: int = Field(0, ge=0, description="Rows to skip.")
    format: Literal["json", "csv"] = Field("json", description="json, or csv for a spreadsheet.")


#: One list's page: its rows, how many there are in all, and the licence.
def page_of(item: type[Schema]) -> type[Schema]:
    """The response schema of a list of ``item`` (named ``<Item>Page`` in the schema)."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        licence=(str, ...),
        items=(list[item], ...),  # type: ignore[valid-type]
    )


def _csv_text(value: Any) -> str:
    """A value as text in a cell: dates as ``YYYY-MM-DD`` (times as ISO 8601)."""
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _csv_item(value: Any) -> str:
    """One thing of a nested list in words: a row's first filled field, then its other filled
    fields in brackets (``Design (due: 2027-01-31, done_on: 2027-02-03)``)."""
    if not isinstance(value, Mapping):
        return _csv_text(value)
    filled = [(k, v) for k, v in value.items() if v is not None and v != "" and v != []]
    if not filled:
        return ""
    first, rest = filled[0][1], filled[1:]
    details = ", ".join(f"{k}: {_csv_text(v)}" for k, v in rest)
    return f"{_csv_text(first)} ({details})" if details else _csv_text(first)


def _csv_value(value: Any) -> Any:
    """A field as one CSV cell: a nested list's things in words, separated by "; "."""
    if isinstance(value, (list, tuple)):
        return "; ".join(_csv_item(v) for v in value)
    if isinstance(value, Mapping):
        return _csv_item(value)
    return value


def listing(
    page: Page,
    source: QuerySet[Any] | Sequence[Any],
    item: type[Schema],
    name: str,
    row: Callable[[Any], dict[str, Any]] = dict,
) -> dict[str, Any] | HttpResponse:
    """One page of ``source`` (each object made a row by ``row``): a dict for the JSON
    answer, or a CSV file ``<name>.csv`` whose columns are ``item``'s fields."""
    total = source.count() if isinstance(source, QuerySet) else len(source)
    rows = [row(obj) for obj in source[page.offset : page.offset + page.limit]]
    if page.format != "csv":
        return {
            "count": total,
            "limit": page.limit,
            "offset": page.offset,
            "licence": LICENCE,
            "items": rows,
        }
    columns = list(item.model_fields)
    table = [columns, *([_csv_value(values.get(c)) for c in columns] for values in rows)]
    return csv_download(f"{name}.csv", table, private=False)  # public: the API caches it


# Core's own router: the council and its wards --------------------------------------------


class WardOut(Schema):
    name: str
    code: str = Field(description="The ward's ONS code (E05...).")


class CouncilOut(Schema):
    name: str
    slug: str
    website: str
    licence: str
    licence_url: str
    wards: list[WardOut]


core_router = Router(tags=["council"])


@core_router.get("/", response=CouncilOut, summary="The council and its wards")
def council(request: HttpRequest) -> dict[str, Any]:
    found = current_council(request)
    return {
        "name": found.name,
        "slug": found.slug,
        "website": found.website,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "wards": list(found.wards.order_by("name").values("name", "code")),
    }


@core_router.get("/wards", response=page_of(WardOut), summary="The council's wards")
def wards(request: HttpRequest, page: Query[Page]) -> Any:
    found = current_council(request).wards.order_by("name").values("name", "code")
    return listing(page, found, WardOut, "wards")


# The API ---------------------------------------------------------------------------------


def _public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Throttled per address; a good answer is public, cacheable and readable from any page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            throttle.hit("api.read", client_ip(request))
        except throttle.Throttled as refused:
            response: HttpResponse = JsonResponse(
                {
                    "detail": _("Too many requests. Wait %(seconds)s seconds and try again.")
                    % {"seconds": refused.retry_after}
                },
                status=429,
            )
            response["Retry-After"] = str(refused.retry_after)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


@functools.cache
def api() -> NinjaAPI:
    """The one API: core's router under ``council``, each capability's under its label."""
    built = NinjaAPI(
        title="Changemaker open data",
        version=VERSION,
        description=DESCRIPTION,
        docs_url=None,
        urls_namespace="api",
        openapi_extra={"info": {"license": {"name": LICENCE, "url": LICENCE_URL}}},
    )
    built.add_router("/council", core_router)
    for label, capability in sorted(CAPABILITIES.items()):
        if capability.api is not None:
            built.add_router(f"/{label}", capability.api)
    return built


def urls() -> list[URLPattern | URLResolver]:
    """The API's addresses, each view wrapped by :func:`_public` (include under ``api/``)."""
    patterns, _app, _namespace = api().urls
    return [
        URLPattern(p.pattern, _public(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]
