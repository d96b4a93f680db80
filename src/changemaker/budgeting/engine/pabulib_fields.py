"""Values in the fields of a Pabulib file: numbers, and one voter's ballot."""

from __future__ import annotations

import re
from fractions import Fraction

from changemaker.budgeting.engine.errors import PabulibError
from changemaker.budgeting.engine.model import Ballot, VoteType

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
#: The longest number a file may hold, in characters. Real budgets, costs and points have
#: under 20; Python refuses to read an integer of over 4,300 digits (and slows down well before).
MAX_NUMBER_LENGTH = 50


def _shown(text: str) -> str:
    """A field as an error message quotes it: a very long one is cut."""
    return repr(text if len(text) <= 20 else text[:20] + "…")


def _number(
    text: str, what: str, line: int | None, source: str, *, allow_negative: bool = False
) -> Fraction:
    s = text.strip().replace(",", ".")
    if not _NUMBER.match(s):
        raise PabulibError(
            f"{what} {_shown(text.strip())} is not a number",
            line=line,
            source=source,
            hint="write a plain decimal number such as 1500 or 1500.50",
        )
    if len(s) > MAX_NUMBER_LENGTH:
        raise PabulibError(
            f"{what} {_shown(s)} is {len(s)} characters long",
            line=line,
            source=source,
            hint=f"write numbers with at most {MAX_NUMBER_LENGTH} characters, such as 1500.50",
        )
    value = Fraction(s)
    if value < 0 and not allow_negative:
        raise PabulibError(
            f"{what} {_shown(text.strip())} is negative",
            line=line,
            source=source,
            hint="costs and budgets must be zero or more",
        )
    return value


def _ballot(
    vote: str,
    points: str,
    cardinal: bool,
    vote_type: VoteType,
    index: dict[str, int],
    line: int,
    source: str,
) -> Ballot:
    vote = vote.strip()
    names = [v.strip() for v in vote.split(",")] if vote and vote.lower() != "none" else []
    chosen: list[int] = []
    for name in names:
        j = index.get(name)
        if j is None:
            raise PabulibError(
                f"the vote names project {name!r}, which is not in PROJECTS",
                line=line,
                source=source,
                hint="every voted project must be listed in PROJECTS",
            )
        chosen.append(j)
    if len(set(chosen)) != len(chosen):
        raise PabulibError(
            "the vote names a project twice",
            line=line,
            source=source,
            hint="list each project once per ballot",
        )
    if cardinal:
        pts_text = points.strip()
        pts = (
            [p.strip() for p in pts_text.split(",")]
            if pts_text and pts_text.lower() != "none"
            else []
        )
        if len(pts) != len(chosen):
            raise PabulibError(
                f"{len(chosen)} projects but {len(pts)} points",
                line=line,
                source=source,
                hint="give one number of points per project",
            )
        values = [_number(p, "points", line, source, allow_negative=True) for p in pts]
        pairs = sorted(zip(chosen, values, strict=True))
        return Ballot(tuple(j for j, _ in pairs), tuple(v for _, v in pairs))
    if vote_type == "ordinal":
        return Ballot(tuple(chosen))
    return Ballot(tuple(sorted(chosen)))
