"""What several of listening's pages use."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from changemaker.core.notices import describe_subject
from changemaker.listening import selectors
from changemaker.listening.models import Report

SIGNED_IN = "listening.follow"
STORIES = "listening.manage_stories"
PAGE_SIZE = 50


def paginate(request: HttpRequest, rows: Any) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def safe_next(request: HttpRequest, value: str, default: str) -> str:
    """Go back where the person came from, only on this site."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


def language() -> str:
    return get_language() or ""


def report_context(report: Report) -> dict[str, object]:
    """What a "we asked, you said, we did" page shows (public, and the officers' preview)."""
    return {
        "report": report,
        "commitments": selectors.report_commitments(report),
        "figures": selectors.report_figures(report),
        # a Follow button only where the source's capability names it (else following fails)
        "followable": describe_subject(report.council, report.source) is not None,
    }
