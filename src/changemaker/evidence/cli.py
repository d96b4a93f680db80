"""``changemaker evidence``: analyse a pilot's data and pool effects (no Django).

Loaded lazily by :mod:`changemaker.cli`; the engine is imported inside each command so that
``--help`` stays fast. Bad input is reported with the file, line and column and exits with 2.
"""

from __future__ import annotations

import json

import click

DESIGNS = ("did", "did2x2", "staggered", "ab", "before-after")
NEEDS: dict[str, tuple[str, ...]] = {
    "did": ("unit", "time", "treated"),
    "did2x2": ("group", "post"),
    "staggered": ("unit", "time", "first_treated"),
    "ab": ("arm",),
    "before-after": ("post",),
}


class BadInput(click.ClickException):
    """Input the engine cannot use: the message says what to fix; exit code 2."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


@click.group(name="evidence")
def cli() -> None:
    """Pilots and evidence: analyse pilots and pool their effects."""


@cli.command(name="analyse")
@click.argument("data", metavar="DATA.csv", type=click.Path(dir_okay=False))
@click.option("--design", type=click.Choice(DESIGNS), required=True, help="The pilot's design.")
@click.option("--outcome", required=True, help="Column of the outcome measure.")
@click.option("--unit", default=None, help="did, staggered: column naming the unit (e.g. ward).")
@click.option("--time", default=None, help="did, staggered: column of the period.")
@click.option("--treated", default=None, help="did: 0/1 column, 1 when a unit is treated.")
@click.option("--cluster", default=None, help="did (default: unit), did2x2, before-after.")
@click.option("--group", default=None, help="did2x2: 0/1 column, 1 for the pilot group.")
@click.option("--post", default=None, help="did2x2, before-after: 0/1, 1 after the start.")
@click.option(
    "--first-treated",
    "first_treated",
    default=None,
    help="staggered: the period each unit started (0 = never treated).",
)
@click.option(
    "--control",
    type=click.Choice(["never", "notyet"]),
    default="never",
    show_default=True,
    help="staggered: compare with never-treated or not-yet-treated units.",
)
@click.option("--arm", default=None, help="ab: column holding control or treatment.")
@click.option(
    "--inference",
    type=click.Choice(["auto", "cr1", "wild", "ri", "cv3"]),
    default="auto",
    show_default=True,
    help="auto: the cluster jackknife (cv3) with fewer than 12 clusters, the wild bootstrap "
    "with fewer than 30, randomisation inference with one treated cluster, else "
    "cluster-robust (cr1).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Bootstrap seed.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="table",
    show_default=True,
    help="json for machines, table for people.",
)
def analyse_command(
    data: str,
    design: str,
    outcome: str,
    unit: str | None,
    time: str | None,
    treated: str | None,
    cluster: str | None,
    group: str | None,
    post: str | None,
    first_treated: str | None,
    control: str,
    arm: str | None,
    inference: str,
    seed: int,
    fmt: str,
) -> None:
    """Estimate a pilot's effect from DATA.csv (one row per observation).

    \b
    did:          --unit U --time T --treated D [--cluster C]
    did2x2:       --group G --post P [--cluster C]
    staggered:    --unit U --time T --first-treated F [--control never|notyet]
    ab:           --arm A   (values control / treatment)
    before-after: --post P [--cluster C]
    """
    from changemaker.evidence import engine as ev

    given = {
        "unit": unit,
        "time": time,
        "treated": treated,
        "group": group,
        "post": post,
        "first_treated": first_treated,
        "arm": arm,
    }
    missing = [n for n in NEEDS[design] if given[n] is None]
    if missing:
        flags = ", ".join("--" + n.replace("_", "-") for n in missing)
        raise BadInput(f"--design {design} needs {flags}: name the column(s) in {data}")
    if cluster is not None and design in ("staggered", "ab"):
        raise BadInput(f"--cluster is not used by --design {design}; leave it out")
    try:
        table = ev.read_table(data)
        spec: ev.DiD | ev.DiD2x2 | ev.Staggered | ev.AB | ev.BeforeAfter
        if design == "did":
            assert unit and time and treated
            spec = ev.DiD(unit=unit, time=time, treated=treated, cluster=cluster)
        elif design == "did2x2":
            assert group and post
            spec = ev.DiD2x2(group=group, post=post, cluster=cluster)
        elif design == "staggered":
            assert unit and time and first_treated
            spec = ev.Staggered(
                unit=unit,
                time=time,
                first_treated=first_treated,
                control="notyet" if control == "notyet" else "never",
            )
        elif design == "ab":
            assert arm
            spec = ev.AB(arm=arm)
        else:
            assert post
            spec = ev.BeforeAfter(post=post, cluster=cluster)
        result = ev.analyse(
            table,
            design=spec,
            outcome=outcome,
            inference=inference,  # type: ignore[arg-type]
            seed=seed,
        )
    except ev.EvidenceError as exc:
        raise BadInput(f"{exc}\nNothing was analysed. Fix the input and run again.") from None
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False))
        return
    _table(result)


def _fmt(x: float | None) -> str:
    return "unbounded" if x is None else f"{x:.4g}"


def _table(r: object) -> None:
    from changemaker.evidence.engine import Result

    assert isinstance(r, Result)
    click.echo(
        f"design {r.design}, outcome {r.outcome}: {r.n_obs:,} observations"
        + (f", {r.n_clusters} clusters" if r.n_clusters else "")
    )
    click.echo(
        f"effect {r.estimate:.4g} (se {r.se:.4g}), 95% CI {_fmt(r.ci[0])} to {_fmt(r.ci[1])}, "
        f"p = {r.p:.3g} [{r.inference}]"
    )
    if r.pretrend is not None:
        p = "not tested" if r.pretrend.p is None else f"p = {r.pretrend.p:.3g}"
        click.echo(f"pre-trend: {r.pretrend.periods} period(s) before the start, {p}")
    if r.event_study:
        click.echo("event study (periods since the start; -1 is the reference):")
        for e in r.event_study:
            click.echo(f"  {e.period:>4}  {e.estimate:>10.4g}  [{_fmt(e.ci[0])}, {_fmt(e.ci[1])}]")
    click.echo(f"Maryland SMS (suggested): {r.sms_level}")
    for reason in r.reasons:
        click.echo(f"  - {reason}")


@cli.command(name="pool")
@click.argument("effects", metavar="EFFECTS.csv", type=click.Path(dir_okay=False))
@click.option(
    "--method",
    type=click.Choice(["reml", "dl"]),
    default="reml",
    show_default=True,
    help="reml: restricted maximum likelihood (as metafor); dl: DerSimonian-Laird.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="table",
    show_default=True,
    help="json for machines, table for people.",
)
def pool_command(effects: str, method: str, fmt: str) -> None:
    """Pool effects measured by several pilots (random effects).

    EFFECTS.csv has the columns study, estimate, se (one row per study).
    """
    from changemaker.evidence import engine as ev

    try:
        pooled = ev.pool_table(
            ev.read_table(effects),
            method="dl" if method == "dl" else "reml",
        )
    except ev.EvidenceError as exc:
        raise BadInput(f"{exc}\nNothing was pooled. Fix the file and run again.") from None
    if fmt == "json":
        click.echo(json.dumps(pooled.to_dict(), ensure_ascii=False, allow_nan=False))
        return
    click.echo(
        f"{pooled.k} studies, {pooled.method}: pooled effect {pooled.estimate:.4g} "
        f"(se {pooled.se:.4g}), 95% CI {pooled.ci[0]:.4g} to {pooled.ci[1]:.4g}; "
        f"tau² {pooled.tau2:.4g}, I² {pooled.i2:.1f}%"
    )
