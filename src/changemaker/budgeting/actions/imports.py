"""Importing past elections from Pabulib (.pb) files into new processes."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from pathlib import PurePath

from django.core.files import File
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from changemaker.budgeting.engine import model as pb
from changemaker.budgeting.engine.pabulib import parse_pabulib
from changemaker.budgeting.errors import ActionRefused
from changemaker.budgeting.models import Ballot, Heading, Mark, Process, Project
from changemaker.budgeting.selectors import check_slug
from changemaker.core import actions as core_actions
from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, Job, User

MAX_INT = 2_147_483_647  # what every database holds in an integer column
MAX_MARK = 32_767


def _check_storable(election: pb.Election) -> None:
    """Refuse, before anything is written, a file the platform cannot hold exactly."""
    code_length = Project._meta.get_field("code").max_length or 40
    problem = ""
    if election.budget.denominator != 1 or not 1 <= election.budget <= MAX_INT:
        problem = _("the budget must be a whole number from 1 to %(max)s") % {"max": MAX_INT}
    for p in election.projects:
        if problem:
            break
        if len(p.id) > code_length:
            problem = _("project id %(id)s… is longer than %(n)s characters") % {
                "id": p.id[:20],
                "n": code_length,
            }
        elif p.cost.denominator != 1 or not 0 <= p.cost <= MAX_INT:
            problem = _("the cost of project %(id)s must be a whole number") % {"id": p.id}
    marks = [x for b in election.ballots for x in (b.points or ())]
    if not problem and any(x.denominator != 1 or not 0 <= x <= MAX_MARK for x in marks):
        problem = _("points must be whole numbers from 0 to %(max)s") % {"max": MAX_MARK}
    if problem:
        raise ActionRefused(
            _("This file cannot be loaded: %(problem)s. Nothing has been saved.")
            % {"problem": problem}
        )


@action("pb.imported")
def import_pabulib(
    council: Council,
    text: str,
    *,
    source: str,
    slug: str,
    title: str,
    summary: str,
    dates: Mapping[str, datetime],
    by: User | None = None,
    currency_symbol: str | None = None,
) -> Process:
    """Create a process from the text of a Pabulib file (see :func:`import_election`).

    A broken file raises PabulibError naming the line and what is wrong; nothing is written.
    """
    election = parse_pabulib(text, source=source)
    return import_election(
        council,
        election,
        source=source,
        slug=slug,
        title=title,
        summary=summary,
        dates=dates,
        by=by,
        currency_symbol=currency_symbol,
    )


PB_IMPORTS = "pb-imports"  # in private storage: never served, deleted once imported


@action("pb.import_started")
def start_import(council: Council, upload: File, *, slug: str, title: str, by: User) -> Job:
    """Queue the import of a ``.pb`` file as the "budgeting.import" job (a large file takes
    minutes). The file waits in private storage under a random name until the job reads it;
    the job deletes it, whatever happens."""
    check_slug(council, slug)
    storage = storages["private"]
    name = storage.save(f"{PB_IMPORTS}/{secrets.token_hex(16)}.pb", upload)
    source = PurePath(str(upload.name or "upload.pb")).name[:200]
    try:
        return core_actions.start_job(
            "budgeting.import",
            title=_("Import: %(title)s") % {"title": title},
            params={"file": name, "source": source, "slug": slug, "title": title},
            council=council,
            by=by,
        )
    except BaseException:
        storage.delete(name)
        raise


# The page shows an imported election's money in its own currency (META "currency", ISO 4217);
# one not listed here is shown by its code.
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "PLN": "zł", "CHF": "CHF", "CZK": "Kč"}

_BALLOT_TYPE = {
    "approval": "knapsack",
    "choose-1": "approval_n",
    "cumulative": "cumulative",
    "scoring": "cumulative",
    "ordinal": "ranking",
}


@action("pb.imported")
def import_election(
    council: Council,
    election: pb.Election,
    *,
    source: str,
    slug: str,
    title: str,
    summary: str,
    dates: Mapping[str, datetime],
    by: User | None = None,
    currency_symbol: str | None = None,
) -> Process:
    """Create a process from a Pabulib election: its projects (on the ballot) and its ballots.

    One the database cannot hold exactly (fractional costs, over-long ids) or whose short
    name is taken raises ActionRefused; nothing is written.
    """
    _check_storable(election)
    check_slug(council, slug)
    currency = election.meta.get("currency", "").strip().upper()[:3]
    process = Process.objects.create(
        council=council,
        slug=slug,
        title=title,
        summary=summary,
        ballot_type=_BALLOT_TYPE[election.vote_type],
        rule="mes",
        completion="add1",
        tie_break="cost",
        source_file=source,
        country=election.meta.get("country", "")[:60],
        currency=currency,
        currency_symbol=currency_symbol or SYMBOLS.get(currency, currency or "£"),
        max_projects=len(election.projects),
        points_total=int(max((sum(b.points or ()) for b in election.ballots), default=10)),
        **dates,
    )
    heading = Heading.objects.create(
        process=process, name=election.meta.get("unit", title), budget=int(election.budget)
    )
    projects = _store_projects(process, heading, election)
    ballots = _store_ballots(process, heading, election, projects)
    audit.record(
        "pb.imported", actor=by, council=council, obj=process, source=source, ballots=ballots
    )
    return process


def _store_projects(process: Process, heading: Heading, election: pb.Election) -> list[Project]:
    """The election's projects, all on the ballot and published."""
    return Project.objects.bulk_create(
        [
            Project(
                process=process,
                heading=heading,
                code=p.id,
                title=p.name[:150],
                description=p.meta.get("description", "") or p.name,
                rough_cost=int(p.cost),
                final_cost=int(p.cost),
                status=Project.Status.SHORTLISTED,
                publication=Project.Publication.PUBLISHED,
            )
            for p in election.projects
        ]
    )


def _store_ballots(
    process: Process, heading: Heading, election: pb.Election, projects: list[Project]
) -> int:
    """One ballot per voter (their id as its reference) with its marks; returns how many."""
    voters = election.voters
    ids = voters.ids if voters else tuple(str(i + 1) for i in range(election.num_voters))
    of_voter = (
        voters.ballot_index
        if voters
        else tuple(k for k, m in enumerate(election.multiplicity) for _ in range(m))
    )
    ballots = Ballot.objects.bulk_create(
        [
            Ballot(
                process=process,
                heading=heading,
                channel=Ballot.Channel.IMPORTED,
                paper_reference=vid,
            )
            for vid in ids
        ]
    )
    marks: list[Mark] = []
    for ballot, k in zip(ballots, of_voter, strict=True):
        raw = election.ballots[k]
        for pos, j in enumerate(raw.projects):
            if raw.points is not None:
                value = int(raw.points[pos])
            elif election.vote_type == "ordinal":
                value = pos + 1
            else:
                value = 1
            if value:
                marks.append(Mark(ballot=ballot, project=projects[j], value=value))
    Mark.objects.bulk_create(marks, batch_size=5000)
    return len(ballots)
