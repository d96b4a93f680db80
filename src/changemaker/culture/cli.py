"""``changemaker culture``: the culture-survey report from the command line (no Django)."""

from __future__ import annotations

import json
import sys

import click

from changemaker.culture.engine.disclosure import METHODS
from changemaker.culture.engine.errors import CultureInputError
from changemaker.culture.engine.report import DEFAULT_MIN_GROUP, report_from_files

_FILE = click.Path(exists=True, dir_okay=False, readable=True)


@click.group(name="culture")
def cli() -> None:
    """Changemaking culture: staff-survey reports that cannot expose anyone."""


@cli.command(name="report")
@click.argument("responses", type=_FILE)
@click.option("--units", "units", type=_FILE, required=True, help="UNITS.csv: unit,parent,name")
@click.option(
    "--items", "items", type=_FILE, required=True, help="ITEMS.csv: item,scale,reverse,text"
)
@click.option(
    "--min-group",
    type=click.IntRange(min=5),
    default=DEFAULT_MIN_GROUP,
    show_default=True,
    help="The smallest group whose results are shown (never below 5).",
)
@click.option(
    "--breakdown",
    "breakdowns",
    multiple=True,
    help="A characteristic column of RESPONSES.csv to break results down by (repeatable).",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="lattice",
    show_default=True,
    help="Disclosure control. sibling-safe, sibling and glint are the baselines the benchmark "
    "compares with; sibling and glint can leave small groups derivable.",
)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def report_command(
    responses: str,
    units: str,
    items: str,
    min_group: int,
    breakdowns: tuple[str, ...],
    method: str,
    fmt: str,
) -> None:
    """Score RESPONSES.csv per unit, wave, breakdown value and scale, hide what could expose
    a group smaller than --min-group, and print the cells and the scales' reliability."""
    try:
        report = report_from_files(
            responses,
            units,
            items,
            min_group=min_group,
            breakdowns=breakdowns,
            method=method,  # type: ignore[arg-type]
        )
    except CultureInputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(report, ensure_ascii=False))


@cli.command(name="items")
@click.option(
    "--instrument",
    type=click.Choice(["staff", "leadership"]),
    default="staff",
    show_default=True,
    help="staff: the four norms and closing the loop; leadership: Nesta's dimensions.",
)
def items_command(instrument: str) -> None:
    """Print the item bank's instrument as ITEMS.csv (sources and licences: see the docs of
    changemaker.culture.engine.items)."""
    from changemaker.culture.engine.items import instrument as bank
    from changemaker.culture.engine.items import items_csv

    click.echo(items_csv(bank(instrument)), nl=False)
