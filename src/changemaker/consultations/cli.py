"""``changemaker opinions``: opinion mapping from the command line (no Django imported)."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

import click

from changemaker.consultations.engine import (
    OpinionMap,
    PolisFormatError,
    compare_groupings,
    load_conversation,
)


@click.group(name="opinions")
def cli() -> None:
    """Consultations: map opinion groups (Polis method)."""


@cli.command("map")
@click.argument("directory", type=click.Path(file_okay=False, dir_okay=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="table",
    show_default=True,
    help="json: the whole map; table: a readable summary.",
)
@click.option(
    "--restarts",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Base clusterings averaged to choose the number of groups (1 = plain Polis cold run).",
)
def map_command(directory: str, fmt: str, restarts: int) -> None:
    """Map the opinion groups of a conversation in the Polis export format.

    DIRECTORY holds comments.csv and votes.csv (or participants-votes.csv); any layout Polis
    has published. Columns left out of the import are listed as warnings.
    """
    try:
        conv = load_conversation(directory)
    except PolisFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    for warning in conv.warnings:  # on stderr: the JSON on stdout stays parseable
        click.echo(f"Warning: {warning}", err=True)
    model = OpinionMap(n_restarts=restarts).fit(conv.votes, conv.statements)
    result = model.result_
    assert result is not None
    data = result.to_dict()
    data["source"] = conv.source
    if conv.polis_groups is not None:
        n, ari = compare_groupings(result.participant_group, conv.polis_groups)
        polis_k = len({g for g in conv.polis_groups.values() if g is not None})
        data["polis_comparison"] = {
            "polis_groups": polis_k,
            "groups": len(result.groups),
            "participants_compared": n,
            "adjusted_rand_index": ari,
        }
    if fmt == "json":
        click.echo(json.dumps(data, allow_nan=False))
        return
    texts = {s.id: s.text for s in conv.statements}
    click.echo(_table(data, texts))


def _table(data: dict[str, Any], texts: dict[int, str]) -> str:
    width = max(60, min(shutil.get_terminal_size((100, 20)).columns, 120))
    lines: list[str] = []
    clustered = data["n_clustered"]
    lines.append(
        f"{data['n_participants']} participants ({clustered} clustered), "
        f"{data['n_statements']} statements voted on, {len(data['groups'])} groups "
        f"(from {data['n_base_clusters']} base clusters; source {data['source']})"
    )
    if "polis_comparison" in data:
        c = data["polis_comparison"]
        lines.append(
            f"Polis export: {c['polis_groups']} groups; agreement with Polis' grouping "
            f"(adjusted Rand index) {c['adjusted_rand_index']:.3f} over "
            f"{c['participants_compared']} participants"
        )

    def row(stmt: dict[str, Any], direction: str) -> str:
        text = " ".join(texts.get(stmt["statement"], "").split())
        head = (
            f"  #{stmt['statement']:<5} {direction:<8} {stmt['p_success'] * 100:5.1f}% "
            f"of {stmt['n_trials']:<5} "
        )
        body = textwrap.shorten(text, width=max(20, width - len(head)), placeholder="...")
        return head + body

    for g in data["groups"]:
        lines.append("")
        lines.append(f"Group {g['id']}: {g['size']} participants. Representative statements:")
        for s in g["representative"]:
            lines.append(row(s, s["direction"]))
    if data["divisive"]:
        lines.append("")
        lines.append("Divisive (agreement per group):")
        for d in data["divisive"]:
            text = " ".join(texts.get(d["statement"], "").split())
            shares = " / ".join(f"{p * 100:.0f}%" for p in d["p_agree"])
            head = f"  #{d['statement']:<5} {shares:<18} "
            lines.append(
                head + textwrap.shorten(text, width=max(20, width - len(head)), placeholder="...")
            )
    for direction in ("agree", "disagree"):
        lines.append("")
        lines.append(f"Consensus ({direction}):")
        items = data["consensus"][direction]
        if not items:
            lines.append("  (none)")
        for s in items:
            lines.append(row(s, direction))
    return "\n".join(lines)
