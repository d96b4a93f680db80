"""“We asked, you said, we did” pages: what can be reported on, the published pages for
everyone, all of them for the officers who write them, and the commitments a page names.
Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from changemaker.core.figures import report_rows
from changemaker.core.models import Commitment, Council
from changemaker.core.registry import ReportSource, report_sources
from changemaker.listening.models import Report


def kind_of(key: str) -> str:
    """A source key's kind: the model it names ("budgeting.process")."""
    return key.partition(":")[0]


@dataclass(frozen=True)
class SourceRow:
    """A closed process on the officers' list, with its page if it has one."""

    source: ReportSource
    report: Report | None


def report_sources_of(council: Council) -> list[SourceRow]:
    """Every capability's closed processes, most recently closed first, each with its page."""
    pages = {r.source: r for r in Report.objects.filter(council=council)}
    return [SourceRow(s, pages.get(s.key)) for s in report_sources(council)]


def report_source(council: Council, key: str) -> ReportSource | None:
    """The closed process with this key, if a capability lists it for the council."""
    return next((s for s in report_sources(council) if s.key == key), None)


def report_kinds(council: Council) -> list[tuple[str, str]]:
    """(kind, its name) of the council's published pages, for the filter."""
    names = {kind_of(s.key): str(s.kind) for s in report_sources(council)}
    shown = set(
        Report.objects.filter(council=council, status=Report.Status.PUBLISHED).values_list(
            "kind", flat=True
        )
    )
    return sorted(((k, names.get(k, k)) for k in shown), key=lambda kv: kv[1])


def published_reports(council: Council, kind: str = "") -> QuerySet[Report]:
    """The public list, newest first (optionally of one kind)."""
    found = Report.objects.filter(council=council, status=Report.Status.PUBLISHED)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-published_at", "-pk")


def published_report(council: Council, pk: int) -> Report:
    """A published page, or 404: a draft is never public."""
    return get_object_or_404(published_reports(council), pk=pk)


def council_report(council: Council, pk: int) -> Report:
    """Any page of the council, draft or published (for the officers who write them)."""
    return get_object_or_404(Report, council=council, pk=pk)


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    url: str  # its page, or "" where there is none


def _commitment_url(commitment: Commitment) -> str:
    return reverse("listening:commitment", kwargs={"pk": commitment.pk})


def report_figures(report: Report) -> list[tuple[str, str, str]]:
    """The page's figures table in the reader's language: (label, value, lang), ``lang``
    "en" where a Welsh page shows a label frozen in English (core.figures.report_rows)."""
    return report_rows(report.figures)


def report_commitments(report: Report) -> list[CommitmentRow]:
    """The published commitments that follow from the process or one of its items."""
    keys = [report.source, *report.related_sources]
    found = Commitment.objects.filter(
        council=report.council_id, published=True, source__in=keys
    ).order_by("due", "pk")
    return [CommitmentRow(c, _commitment_url(c)) for c in found]
