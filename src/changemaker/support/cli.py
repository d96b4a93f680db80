"""``changemaker support``: community-support commands that need only the pure engine.

Loaded lazily by :mod:`changemaker.cli`; it must not import Django. The engine
itself is imported inside each command so that ``--help`` stays fast.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from changemaker.support.engine import MatchResult


@click.group(name="support")
def cli() -> None:
    """Community support: match volunteers to help requests."""


@cli.command(name="match")
@click.argument("requests_csv", metavar="REQUESTS.csv", type=click.Path(dir_okay=False))
@click.argument("volunteers_csv", metavar="VOLUNTEERS.csv", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="table",
    show_default=True,
    help="json for machines, table for people.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to this file (replaced only when complete) instead of standard output.",
)
def match(requests_csv: str, volunteers_csv: str, fmt: str, output: str | None) -> None:
    """Match help requests to volunteers optimally.

    Most urgency weight matched first (urgent 3, soon 2, routine 1), then the
    least total travel distance. Every unmatched request says why.

    \b
    REQUESTS.csv:   request_id,lat,lon,needs,urgency,vetting_required,date
    VOLUNTEERS.csv: volunteer_id,lat,lon,skills,vetting,vetting_expires,
                    available_days,max_distance_km,capacity
    """
    from changemaker.support.engine import (
        InputError,
        Matcher,
        read_requests,
        read_volunteers,
        write_result_json,
    )

    problems: list[str] = []
    requests, volunteers = [], []
    try:
        requests = read_requests(requests_csv)
    except InputError as exc:
        problems.append(str(exc))
    try:
        volunteers = read_volunteers(volunteers_csv)
    except InputError as exc:
        problems.append(str(exc))
    if problems:
        raise click.ClickException(
            "\n".join(problems) + "\nNothing was matched. Fix the file(s) and run again."
        )

    result = Matcher().match(requests, volunteers)
    buffer = io.StringIO()
    if fmt == "json":
        write_result_json(buffer, result)
    else:
        buffer.write(format_table(result, {r.request_id: r.urgency.value for r in requests}))
    if output is None:
        click.echo(buffer.getvalue(), nl=False)
    else:
        _write_atomically(Path(output), buffer.getvalue())


def format_table(result: MatchResult, urgency: dict[str, str]) -> str:
    """A plain-text report: assignments, unmatched requests with reasons, totals."""
    lines: list[str] = []
    if result.assignments:
        matched: list[tuple[str, ...]] = [
            (a.request_id, urgency.get(a.request_id, ""), a.volunteer_id, f"{a.distance_km:.2f}")
            for a in result.assignments
        ]
        lines += _table(("request", "urgency", "volunteer", "km"), matched, right={3})
    else:
        lines.append("No request could be matched.")
    lines.append("")
    if result.unmatched:
        lines.append("Unmatched")
        unmatched: list[tuple[str, ...]] = [
            (u.request_id, urgency.get(u.request_id, ""), u.reason.sentence)
            for u in result.unmatched
        ]
        lines += _table(("request", "urgency", "reason"), unmatched, right=set())
        lines.append("")
    obj = result.objective
    lines.append(
        f"Matched {obj.matched} of {obj.matched + obj.unmatched} requests; "
        f"urgency weight {obj.weight} of {obj.max_weight}; "
        f"total distance {obj.distance_km:.2f} km."
    )
    return "\n".join(lines) + "\n"


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    widths = [max([len(h)] + [len(r[k]) for r in rows]) for k, h in enumerate(head)]

    def fmt(cells: tuple[str, ...]) -> str:
        parts = [
            c.rjust(widths[k]) if k in right else c.ljust(widths[k]) for k, c in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    return [fmt(head), fmt(tuple("-" * w for w in widths))] + [fmt(r) for r in rows]


def _write_atomically(path: Path, text: str) -> None:
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
