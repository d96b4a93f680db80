"""Elections built in code (tests, the web layer) and the merging of identical ballots the
reader and the builders share (its own module, so the model and the reader import neither
each other)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from changemaker.budgeting.engine.model import Ballot, Election, Project, Voters, VoteType


def merge_ballots(
    raw: Sequence[Ballot],
) -> tuple[tuple[Ballot, ...], tuple[int, ...], tuple[int, ...]]:
    """Merge identical ballots: distinct ballots, their multiplicity, each voter's index."""
    seen: dict[Ballot, int] = {}
    mult: list[int] = []
    of_voter: list[int] = []
    for b in raw:
        k = seen.get(b)
        if k is None:
            k = seen[b] = len(mult)
            mult.append(0)
        mult[k] += 1
        of_voter.append(k)
    return tuple(seen), tuple(mult), tuple(of_voter)


def make_election(
    projects: Sequence[tuple[str, Fraction | int]],
    budget: Fraction | int,
    ballots: Sequence[Sequence[str]] | Sequence[Mapping[str, Fraction | int]],
    vote_type: VoteType = "approval",
    meta: Mapping[str, str] | None = None,
) -> Election:
    """Build an election in code (tests, web layer): one entry of ``ballots`` per voter.

    Approval and ordinal ballots are sequences of project ids; cumulative and scoring ballots
    are mappings from project id to points.
    """
    projs = tuple(Project(str(pid), Fraction(cost)) for pid, cost in projects)
    index = {p.id: i for i, p in enumerate(projs)}
    raw: list[Ballot] = []
    for b in ballots:
        if isinstance(b, Mapping):
            items = list(b.items())
            raw.append(
                Ballot(tuple(index[k] for k, _ in items), tuple(Fraction(v) for _, v in items))
            )
        else:
            ids = tuple(index[k] for k in b)
            raw.append(Ballot(tuple(sorted(ids)) if vote_type in ("approval", "choose-1") else ids))
    distinct, mult, of_voter = merge_ballots(raw)
    full_meta = {"budget": str(budget), "vote_type": vote_type, **(meta or {})}
    return Election(
        meta=full_meta,
        projects=projs,
        budget=Fraction(budget),
        vote_type=vote_type,
        ballots=distinct,
        multiplicity=mult,
        voters=Voters(ids=tuple(str(i + 1) for i in range(len(raw))), ballot_index=of_voter),
    )
