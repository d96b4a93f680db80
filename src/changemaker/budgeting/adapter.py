"""The one place that knows both the database and the engine: build an election from the
ballots, count it, explain it, ward shares and the EJR check, store the count, write the .pb
file of the results."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from changemaker.budgeting.engine import model as pb
from changemaker.budgeting.engine.build import merge_ballots
from changemaker.budgeting.engine.explain import ejr_violations, explain, group_shares
from changemaker.budgeting.engine.outcome import Outcome
from changemaker.budgeting.engine.pabulib_write import election_to_pabulib
from changemaker.budgeting.engine.rules import count
from changemaker.budgeting.models import Ballot, Count, Heading, Process, Project

VOTE_TYPE = {
    "knapsack": "approval",
    "approval_n": "approval",
    "cumulative": "cumulative",
    "ranking": "ordinal",
}
UTILITY = {"knapsack": "cost", "approval_n": "cost", "cumulative": "points", "ranking": "borda"}
# Voter groups smaller than this are pooled (and the pool left out if still this small), so
# that what a handful of voters chose cannot be read off the results page.
MIN_GROUP = 10
OTHER, UNKNOWN = "~other", "(not given)"  # the engine's label for voters with no group
WARD = "ward"


def _ward_labels(names: list[str | None]) -> tuple[str, ...]:
    """Each voter's group: their ward, "" if not known, OTHER if their ward is too small."""
    sizes = Counter(names)
    return tuple(OTHER if n is not None and sizes[n] < MIN_GROUP else (n or "") for n in names)


def build_election(process: Process, heading: Heading, *, with_wards: bool = False) -> pb.Election:
    """The heading's ballots as an engine election (anonymised: voters are numbered).

    ``with_wards`` adds each voter's ward as a voter column (for the group shares only; never
    written to the downloadable file).
    """
    projects = list(heading.projects.filter(status=Project.Status.SHORTLISTED).order_by("code"))
    index = {p.pk: i for i, p in enumerate(projects)}
    vote_type = VOTE_TYPE[process.ballot_type]
    raw: list[pb.Ballot] = []
    wards: list[str | None] = []
    ballots = (
        Ballot.objects.filter(process=process, heading=heading)
        .select_related("ward")
        .prefetch_related("marks")
    )
    for ballot in ballots.order_by("pk"):
        wards.append(ballot.ward.name if ballot.ward else None)
        marks = [
            (index[m.project_id], m.value) for m in ballot.marks.all() if m.project_id in index
        ]
        if vote_type == "ordinal":
            raw.append(pb.Ballot(projects=tuple(j for j, _ in sorted(marks, key=lambda m: m[1]))))
        elif vote_type == "cumulative":
            marks.sort()
            raw.append(
                pb.Ballot(
                    projects=tuple(j for j, _ in marks), points=tuple(Fraction(v) for _, v in marks)
                )
            )
        else:
            raw.append(pb.Ballot(projects=tuple(sorted(j for j, _ in marks))))
    distinct, multiplicity, of_voter = merge_ballots(raw)
    return pb.Election(
        meta={
            "description": f"{process.title}: {heading.name}",
            **({"country": process.country} if process.country else {}),
            "unit": process.council.name,
            "instance": process.slug,
            "subunit": heading.name,
            **({"currency": process.currency} if process.currency else {}),
            "rule": f"{process.rule}",
        },
        projects=tuple(
            pb.Project(id=p.code, cost=Fraction(p.cost), meta={"name": p.title}) for p in projects
        ),
        budget=Fraction(heading.budget),
        vote_type=vote_type,  # type: ignore[arg-type]
        ballots=distinct,
        multiplicity=multiplicity,
        voters=pb.Voters(
            ids=tuple(str(i + 1) for i in range(len(of_voter))),
            ballot_index=of_voter,
            columns=(WARD,) if with_wards else (),
            extra=tuple((w,) for w in _ward_labels(wards)) if with_wards else (),
        ),
    )


def count_heading(process: Process, heading: Heading) -> tuple[pb.Election, Outcome]:
    election = build_election(process, heading, with_wards=True)
    completion = process.completion if process.rule == "mes" else "none"
    outcome = count(
        election,
        trace=process.rule == "mes",  # explanations name who paid for what
        rule=process.rule,  # type: ignore[arg-type]
        utility=UTILITY[process.ballot_type],  # type: ignore[arg-type]
        completion=completion,  # type: ignore[arg-type]
        tie_break=process.tie_break,  # type: ignore[arg-type]
    )
    return election, outcome


def fairness(election: pb.Election, outcome: Outcome) -> dict[str, Any]:
    """What each ward's voters got, and the EJR check: stored with the count, as JSON.

    ``groups``: {"ward": name, or "" (not known) or OTHER (small wards pooled), "voters",
    "received" (money spent on projects they supported, each project's cost split equally
    among its supporters), "fair_share" (their share of the budget)}; groups under MIN_GROUP
    voters are left out, but ``total_voters`` and ``total_received`` count everyone.
    ``ejr``: {"status": "passed" | "failed" | "not_checked", "why": "not_approval" |
    "too_large", "violations": up to 5 sets of project codes}.
    """
    shares = group_shares(election, outcome, WARD) if WARD in _columns(election) else []
    groups = [
        {
            "ward": "" if g.group == UNKNOWN else g.group,
            "voters": g.voters,
            "received": str(g.received),
            "fair_share": str(g.fair_share),
        }
        for g in shares
        if g.voters >= MIN_GROUP
    ]
    violations = ejr_violations(election, outcome.selected)
    ejr: dict[str, Any]
    if violations is None:
        ejr = {
            "status": "not_checked",
            "why": "too_large" if election.is_approval else "not_approval",
        }
    elif violations:
        ejr = {"status": "failed", "violations": [list(v) for v in violations[:5]]}
    else:
        ejr = {"status": "passed"}
    return {
        "groups": groups,
        "total_voters": election.num_voters,
        "total_received": str(sum((Fraction(g.received) for g in shares), Fraction(0))),
        "ejr": ejr,
    }


def _columns(election: pb.Election) -> tuple[str, ...]:
    return election.voters.columns if election.voters else ()


def store_count(
    process: Process, heading: Heading, election: pb.Election, outcome: Outcome
) -> Count:
    return Count.objects.create(
        process=process,
        heading=heading,
        rule=f"{outcome.rule} ({outcome.utility}, completion {outcome.completion}, "
        f"ties by {outcome.tie_break})",
        voters=election.num_voters,
        selected=list(outcome.selected),
        cost=int(outcome.cost),
        explanation={e.project_id: {"kind": e.kind, **e.facts} for e in explain(election, outcome)},
        fairness=fairness(election, outcome),
    )


def results_file(process: Process, heading: Heading) -> str:
    """The heading's results and anonymised ballots as a Pabulib .pb file."""
    election = build_election(process, heading)
    latest = heading.counts.order_by("-computed_at").first()
    if latest is not None:
        chosen = set(latest.selected)
        projects = tuple(
            pb.Project(
                id=p.id, cost=p.cost, meta={**p.meta, "selected": "1" if p.id in chosen else "0"}
            )
            for p in election.projects
        )
        election = pb.Election(
            meta=election.meta,
            projects=projects,
            budget=election.budget,
            vote_type=election.vote_type,
            ballots=election.ballots,
            multiplicity=election.multiplicity,
            voters=election.voters,
        )
    return election_to_pabulib(election)
