"""From the database to the engine and back: build an election, count it, store the result."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from changemaker.budgeting.engine import model as pb
from changemaker.budgeting.engine.explain import explain
from changemaker.budgeting.engine.pabulib import election_to_pabulib, merge_ballots
from changemaker.budgeting.engine.rules import Outcome, count
from changemaker.budgeting.models import Ballot, Count, Heading, Process, Project

VOTE_TYPE = {
    "knapsack": "approval",
    "approval_n": "approval",
    "cumulative": "cumulative",
    "ranking": "ordinal",
}
UTILITY = {"knapsack": "cost", "approval_n": "cost", "cumulative": "points", "ranking": "borda"}


def build_election(process: Process, heading: Heading) -> pb.Election:
    """The heading's ballots as an engine election (anonymised: voters are numbered)."""
    projects = list(heading.projects.filter(status=Project.Status.SHORTLISTED).order_by("code"))
    index = {p.pk: i for i, p in enumerate(projects)}
    vote_type = VOTE_TYPE[process.ballot_type]
    raw: list[pb.Ballot] = []
    ballots = Ballot.objects.filter(process=process, heading=heading).prefetch_related("marks")
    for ballot in ballots.order_by("pk"):
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
            "country": "United Kingdom",
            "unit": process.council.name,
            "instance": process.slug,
            "subunit": heading.name,
            "currency": "GBP",
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
            ids=tuple(str(i + 1) for i in range(len(of_voter))), ballot_index=of_voter
        ),
    )


def count_heading(process: Process, heading: Heading) -> tuple[pb.Election, Outcome]:
    election = build_election(process, heading)
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
        explanation={e.project_id: e.reason for e in explain(election, outcome)},
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


def summary(count_row: Count) -> dict[str, Any]:
    return {"selected": count_row.selected, "cost": count_row.cost, "voters": count_row.voters}
