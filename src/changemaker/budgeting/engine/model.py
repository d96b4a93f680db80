"""The election model: projects, distinct ballots with their multiplicity, and voters.

Everything numeric is exact: costs, budget and points are :class:`fractions.Fraction`.
Identical ballots are stored once (``Election.ballots``) with the number of voters who cast
them (``Election.multiplicity``); ``Election.voters`` keeps each voter's id and extra columns
so that a file can be written back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

VoteType = Literal["approval", "choose-1", "cumulative", "scoring", "ordinal"]
VOTE_TYPES: tuple[VoteType, ...] = ("approval", "choose-1", "cumulative", "scoring", "ordinal")


@dataclass(frozen=True, slots=True)
class Project:
    """A project on the ballot. ``meta`` holds every other column of the PROJECTS section."""

    id: str
    cost: Fraction
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.meta.get("name", self.id)


@dataclass(frozen=True, slots=True)
class Ballot:
    """One distinct ballot: project indices, and points for cumulative/scoring ballots.

    Approval ballots are stored with sorted indices (so ``a,b`` and ``b,a`` merge). Ordinal
    ballots keep the voter's order (first = most preferred). ``points`` is ``None`` except for
    cumulative and scoring ballots, where it is parallel to ``projects``.
    """

    projects: tuple[int, ...]
    points: tuple[Fraction, ...] | None = None


class Voters:
    """Per-voter data kept for writing a file back: ids, extra columns, which ballot.

    Counting never needs it, so the reader may give a ``load`` function instead of the
    values: ``ids``, ``ballot_index`` and ``extra`` are then built on first use (the reader
    has already checked them). Either way the object behaves as an immutable value.
    """

    __slots__ = ("_ballot_index", "_count", "_extra", "_ids", "_load", "columns")

    def __init__(
        self,
        ids: tuple[str, ...] = (),
        ballot_index: tuple[int, ...] = (),
        columns: tuple[str, ...] = (),
        extra: tuple[tuple[str, ...], ...] = (),
        *,
        load: Callable[[], tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[str, ...], ...]]]
        | None = None,
        count: int | None = None,
    ) -> None:
        self._ids = ids
        self._ballot_index = ballot_index
        self.columns = columns
        self._extra = extra
        self._load = load
        self._count = len(ids) if count is None else count

    def _loaded(self) -> None:
        if self._load is not None:
            self._ids, self._ballot_index, self._extra = self._load()
            self._load = None

    @property
    def ids(self) -> tuple[str, ...]:
        self._loaded()
        return self._ids

    @property
    def ballot_index(self) -> tuple[int, ...]:
        self._loaded()
        return self._ballot_index

    @property
    def extra(self) -> tuple[tuple[str, ...], ...]:
        self._loaded()
        return self._extra

    def __len__(self) -> int:
        """The number of voters (without building the per-voter data)."""
        return self._count

    def _key(self) -> tuple[object, ...]:
        return (self.ids, self.ballot_index, self.columns, self.extra)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Voters):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Voters({len(self)} voters, columns={self.columns!r})"


@dataclass(frozen=True, slots=True)
class Election:
    """A participatory-budgeting election (one Pabulib file)."""

    meta: Mapping[str, str]
    projects: tuple[Project, ...]
    budget: Fraction
    vote_type: VoteType
    ballots: tuple[Ballot, ...]
    multiplicity: tuple[int, ...]
    voters: Voters | None = None
    project_columns: tuple[str, ...] = ("project_id", "cost")

    @property
    def num_voters(self) -> int:
        return sum(self.multiplicity)

    @property
    def index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.projects)}

    def project(self, project_id: str) -> Project:
        return self.projects[self.index[project_id]]

    @property
    def is_approval(self) -> bool:
        return self.vote_type in ("approval", "choose-1")

    def vote_counts(self) -> list[int]:
        """Number of voters whose ballot lists each project (any points, any rank)."""
        counts = [0] * len(self.projects)
        for ballot, mult in zip(self.ballots, self.multiplicity, strict=True):
            for j in ballot.projects:
                counts[j] += mult
        return counts
