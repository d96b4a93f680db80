"""We asked, you said, we did: the published pages, for anyone (signed in or not)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from changemaker.core.views.base import current_council
from changemaker.listening import selectors
from changemaker.listening.forms import KindFilterForm
from changemaker.listening.views.shared import report_context

PAGE_SIZE = 20


def reports(request: HttpRequest) -> HttpResponse:
    """The list, newest first; a filter by kind (a plain GET form)."""
    council = current_council(request)
    kind = request.GET.get("kind", "").strip()[:60]
    form = KindFilterForm(initial={"kind": kind}, kinds=selectors.report_kinds(council))
    page = Paginator(selectors.published_reports(council, kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "listening/reports/list.html", {"form": form, "page": page, "kind": kind}
    )


def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.published_report(current_council(request), pk)
    return render(request, "listening/reports/report.html", report_context(found))
