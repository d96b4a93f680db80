"""Closed budgets for "we asked, you said, we did" (``core.registry.Capability.reports``).

A budget is closed once its voting has ended and it has been counted. Its draft says what
residents were asked (the budget and the question), how many voted and where, which ideas
were funded and why (cost, votes, the counting rule in words) and how many were not. Only
what the public results page shows: counts of ballots, never a ballot.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from changemaker.budgeting import selectors
from changemaker.budgeting.models import Process
from changemaker.core.models import Council
from changemaker.core.notices import subject_key
from changemaker.core.registry import FigureKind, ReportDraft, ReportFigure, ReportSource

KIND = gettext_lazy("Participatory budget")


def closed_budgets(council: Council) -> list[ReportSource]:
    """The council's budgets whose voting has ended and that have a count."""
    processes = Process.objects.filter(
        council=council, voting_until__lte=timezone.now(), counts__isnull=False
    ).distinct()
    return [
        ReportSource(
            key=subject_key(p),
            kind=KIND,
            title=p.title,
            closed_on=timezone.localdate(p.voting_until),
            draft=partial(draft, p),
        )
        for p in processes
    ]


def _money(amount: int, symbol: str) -> str:
    return f"{symbol}{amount:,}"


def _turnout_words(block: dict[str, Any]) -> str:
    parts = [
        _("%(ward)s %(n)s")
        % {"ward": row["ward__name"] or _("ward not known"), "n": f"{row['n']:,}"}
        for row in block["turnout"]
    ]
    return _("Votes by ward: %(wards)s.") % {"wards": "; ".join(parts)} if parts else ""


def _funded_words(block: dict[str, Any], symbol: str) -> list[str]:
    lines = []
    for row in block["rows"]:
        if row["funded"]:
            lines.append(
                _("%(title)s (%(cost)s, %(votes)s votes). %(why)s")
                % {
                    "title": row["project"].title,
                    "cost": _money(row["project"].cost, symbol),
                    "votes": f"{row['votes']:,}",
                    "why": row["reason"],
                }
            )
    return lines


def _heading_said(block: dict[str, Any], symbol: str) -> list[str]:
    """One budget's result in sentences: turnout, funded ideas and why, the rule, the rest."""
    head, count = block["heading"], block["count"]
    funded = _funded_words(block, symbol)
    unfunded = sum(1 for row in block["rows"] if not row["funded"])
    said = [
        ngettext(
            "%(n)s person voted on the %(budget)s budget.",
            "%(n)s people voted on the %(budget)s budget.",
            count.voters,
        )
        % {"n": f"{count.voters:,}", "budget": head.name},
        _turnout_words(block),
        ngettext(
            "Your votes funded %(n)s idea, costing %(cost)s of %(total)s:",
            "Your votes funded %(n)s ideas, costing %(cost)s of %(total)s:",
            len(funded),
        )
        % {
            "n": f"{len(funded):,}",
            "cost": _money(count.cost, symbol),
            "total": _money(head.budget, symbol),
        }
        if funded
        else _("No idea could be funded."),
        *[f"- {line}" for line in funded],
        _("How the votes were counted: %(rule)s") % {"rule": block["rule_words"]},
        ngettext(
            "%(n)s idea on the ballot was not funded.",
            "%(n)s ideas on the ballot were not funded.",
            unfunded,
        )
        % {"n": f"{unfunded:,}"},
    ]
    return [line for line in said if line]


#: the rows of a budget's figures table, told in the reader's language (Capability.figure_kinds)
FIGURE_KINDS = {
    f"budgeting.report.{name}": FigureKind(label)
    for name, label in {
        "budget": gettext_lazy("Budget"),
        "voters": gettext_lazy("People who voted"),
        "ideas": gettext_lazy("Ideas on the ballot"),
        "funded": gettext_lazy("Ideas funded"),
        "unfunded": gettext_lazy("Ideas not funded"),
        "allocated": gettext_lazy("Money allocated"),
        "ward_votes": gettext_lazy("Votes from %(ward)s"),
        "unknown_ward_votes": gettext_lazy("Votes from ward not known"),
    }.items()
}


def _row(name: str, value: str, part: dict[str, str], **facts: str) -> ReportFigure:
    return ReportFigure(f"budgeting.report.{name}", value, {**part, **facts})


def _figures(blocks: list[dict[str, Any]], symbol: str) -> list[ReportFigure]:
    figures: list[ReportFigure] = []
    several = len(blocks) > 1
    for block in blocks:
        head, count = block["heading"], block["count"]
        part = {"part": head.name, "part_cy": head.name_cy} if several else {}
        funded = sum(1 for row in block["rows"] if row["funded"])
        figures += [
            _row("budget", _money(head.budget, symbol), part),
            _row("voters", f"{count.voters:,}", part),
            _row("ideas", f"{len(block['rows']):,}", part),
            _row("funded", f"{funded:,}", part),
            _row("unfunded", f"{len(block['rows']) - funded:,}", part),
            _row("allocated", _money(count.cost, symbol), part),
        ]
        figures += [
            _row("ward_votes", f"{row['n']:,}", part, ward=row["ward__name"])
            if row["ward__name"]
            else _row("unknown_ward_votes", f"{row['n']:,}", part)
            for row in block["turnout"]
        ]
    return figures


def draft(process: Process) -> ReportDraft:
    symbol = process.currency_symbol
    blocks = [b for b in selectors.results_blocks(process) if b["count"] is not None]
    total = sum(b["heading"].budget for b in blocks)
    asked = _(
        "We asked residents how to spend %(total)s through %(title)s. %(summary)s Ideas were "
        "shared from %(ideas)s and voting ran from %(from)s to %(until)s."
    ) % {
        "total": _money(total, symbol),
        "title": process.title,
        "summary": process.summary.strip(),
        "ideas": _day(process.ideas_from),
        "from": _day(process.voting_from),
        "until": _day(process.voting_until),
    }
    said = [line for block in blocks for line in _heading_said(block, symbol)]
    funded = selectors.funded_codes(process)
    return ReportDraft(
        we_asked=asked,
        you_said="\n".join(said),
        figures=_figures(blocks, symbol),
        url=reverse("budgeting:results", args=[process.slug]),
        related_sources=[
            subject_key(p) for p in process.projects.filter(code__in=funded).order_by("code")
        ],
    )


def _day(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j F Y")
