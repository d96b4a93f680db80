"""Plain words for residents and officers: how a count was made (its rule, in a sentence) and
what a budgeting job did (core.jobs ``describe``)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# What Count.rule holds (adapter.store_count): "mes (cost, completion add1, ties by cost)".
STORED_RULE = re.compile(
    r"^(?P<rule>\w+) \((?P<utility>\w+), completion (?P<completion>\w+), ties by (?P<ties>\w+)\)$"
)


def rule_name(rule: str) -> str:
    return {
        "greedy": _("Most votes first"),
        "mes": _("Method of Equal Shares"),
        "phragmen": _("Sequential Phragmén"),
    }.get(rule, rule)


def rule_sentence(rule: str) -> str:
    return {
        "greedy": _(
            "projects are funded in order of how many people voted for them, for the money "
            "they cost; a project that no longer fits in what is left is skipped."
        ),
        "mes": _(
            "the budget is shared equally among the voters, and a project is funded when the "
            "people who voted for it can pay for it together from their shares, so each group "
            "of voters gets projects in proportion to its size."
        ),
        "phragmen": _(
            "projects are funded one at a time, each time the one whose voters have so far "
            "carried the least of the cost of what was funded; counting stops at the first "
            "project that does not fit."
        ),
    }.get(rule, "")


def completion_sentence(completion: str, symbol: str) -> str:
    if completion == "add1":
        return _(
            "When money is left over, every voter's share is raised by %(unit)s at a time and "
            "the count is run again, until one more rise would spend more than the budget."
        ) % {"unit": f"{symbol}1"}
    if completion == "add1u":
        return _(
            "When money is left over, every voter's share is raised by %(unit)s at a time and "
            "the count is run again; any money still left then goes to the projects with the "
            "most votes that fit."
        ) % {"unit": f"{symbol}1"}
    return ""


def tie_sentence(ties: str) -> str:
    return {
        "cost": _("When two projects tie, the cheaper one comes first."),
        "votes": _("When two projects tie, the one with more votes comes first."),
        "lexicographic": _("When two projects tie, the one whose number comes first wins."),
    }.get(ties, "")


def describe_count_rule(stored: str, symbol: str = "£") -> str:
    """A stored count's rule in words: "Method of Equal Shares: the budget is shared …".
    A rule string of an older shape is shown as it is."""
    found = STORED_RULE.match(stored)
    if found is None:
        return stored
    parts = [
        f"{rule_name(found['rule'])}: {rule_sentence(found['rule'])}",
        completion_sentence(found["completion"], symbol),
        tie_sentence(found["ties"]),
    ]
    return " ".join(p for p in parts if p)


def describe_count(result: dict[str, Any]) -> list[str]:
    """The count job's result in words (core.jobs ``describe``)."""
    lines = []
    for budget, funded in (result.get("funded") or {}).items():
        if funded:
            lines.append(
                ngettext(
                    "%(budget)s: %(n)s project funded (%(codes)s).",
                    "%(budget)s: %(n)s projects funded (%(codes)s).",
                    len(funded),
                )
                % {"budget": budget, "n": f"{len(funded):,}", "codes": ", ".join(funded)}
            )
        else:
            lines.append(_("%(budget)s: no project funded.") % {"budget": budget})
    return lines


def describe_import(result: dict[str, Any]) -> list[str]:
    """The import job's result in words (core.jobs ``describe``)."""
    n = int(result.get("ballots") or 0)
    return [
        ngettext(
            "“%(budget)s” was imported with %(n)s ballot.",
            "“%(budget)s” was imported with %(n)s ballots.",
            n,
        )
        % {"budget": result.get("budget", ""), "n": f"{n:,}"}
    ]


def describe_voting_opens(result: dict[str, Any]) -> list[str]:
    """The voting-opens job's result in words (core.jobs ``describe``)."""
    n = int(result.get("announced") or 0)
    return [
        ngettext(
            "Voting has opened in %(n)s budget: its followers are told.",
            "Voting has opened in %(n)s budgets: their followers are told.",
            n,
        )
        % {"n": f"{n:,}"}
    ]
