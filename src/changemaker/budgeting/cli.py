"""``changemaker pb``: count Pabulib elections from the command line (no Django)."""

from __future__ import annotations

import json
import sys
from fractions import Fraction

import click

from changemaker.budgeting.engine.errors import BudgetingError
from changemaker.budgeting.engine.outcome import (
    ADD1_STOPS,
    COMPLETIONS,
    RULES,
    TIE_BREAKS,
    UTILITIES,
    Outcome,
)
from changemaker.budgeting.engine.pabulib import read_pabulib
from changemaker.budgeting.engine.rules import count


def _num(x: Fraction) -> int | str:
    return x.numerator if x.denominator == 1 else str(x)


@click.group(name="pb")
def cli() -> None:
    """Participatory budgeting: count .pb elections."""


@cli.command(name="count")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, readable=True)
)
@click.option("--rule", type=click.Choice(RULES), default="greedy", show_default=True)
@click.option(
    "--utility",
    type=click.Choice(UTILITIES),
    default="cost",
    show_default=True,
    help="cost: a project is worth its cost to a supporter (greedy orders by votes); "
    "cardinality: 1 per project; points: cumulative/scoring points; "
    "borda: rank-based (ordinal ballots).",
)
@click.option(
    "--completion",
    type=click.Choice(COMPLETIONS),
    default="none",
    show_default=True,
    help="MES only: add1 raises every voter's budget by 1 at a "
    "time; add1u then fills what is left greedily by votes.",
)
@click.option(
    "--add1-stop",
    type=click.Choice(ADD1_STOPS),
    default="exhaustive",
    show_default=True,
    help="exhaustive: stop when no project fits any more; "
    "overspend: stop only before the next raise overspends.",
)
@click.option(
    "--tie-break",
    type=click.Choice(TIE_BREAKS),
    default="lexicographic",
    show_default=True,
    help="lexicographic: project ids as strings; cost: cheapest "
    "first, then most votes, then id; votes: most votes.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="json prints one JSON object per file, one per line.",
)
def count_command(
    files: tuple[str, ...],
    rule: str,
    utility: str,
    completion: str,
    add1_stop: str,
    tie_break: str,
    fmt: str,
) -> None:
    """Count each FILE.pb and print the projects selected, in order of selection."""
    failed = False
    for path in files:
        try:
            election = read_pabulib(path)
            outcome = count(
                election,
                rule=rule,  # type: ignore[arg-type]
                utility=utility,  # type: ignore[arg-type]
                completion=completion,  # type: ignore[arg-type]
                add1_stop=add1_stop,  # type: ignore[arg-type]
                tie_break=tie_break,  # type: ignore[arg-type]
            )
        except BudgetingError as exc:
            failed = True
            if fmt == "json":
                click.echo(json.dumps({"file": path, "error": str(exc)}, ensure_ascii=False))
            else:
                click.echo(f"error: {exc}", err=True)
            continue
        if fmt == "json":
            click.echo(json.dumps(_as_json(path, outcome), ensure_ascii=False))
        else:
            _table(path, election.projects, outcome)
    if failed:
        sys.exit(1)


def _as_json(path: str, o: Outcome) -> dict[str, object]:
    data: dict[str, object] = {
        "file": path,
        "selected": list(o.selected),
        "cost": _num(o.cost),
        "budget": _num(o.budget),
        "rule": o.rule,
        "utility": o.utility,
        "completion": o.completion,
        "tie_break": o.tie_break,
    }
    if o.rule == "mes":
        data["add1_stop"] = o.add1_stop
        data["passes"] = o.passes
        if o.per_voter_budget is not None:
            data["per_voter_budget"] = _num(o.per_voter_budget)
    return data


def _table(path: str, projects: object, o: Outcome) -> None:
    from changemaker.budgeting.engine.model import Project

    assert isinstance(projects, tuple)
    by_id: dict[str, Project] = {p.id: p for p in projects}
    click.echo(
        f"{path}: {o.rule} ({o.utility} utility"
        + (f", {o.completion} completion" if o.completion != "none" else "")
        + f", {o.tie_break} tie-break)"
    )
    width = max([len(i) for i in o.selected] + [2])
    click.echo(f"  {'#':>3}  {'id':<{width}}  {'cost':>14}  name")
    for n, pid in enumerate(o.selected, 1):
        p = by_id[pid]
        click.echo(f"  {n:>3}  {pid:<{width}}  {_num(p.cost)!s:>14}  {p.name[:60]}")
    click.echo(f"  {len(o.selected)} projects, cost {_num(o.cost)} of budget {_num(o.budget)}")
