"""Write Pabulib ``.pb`` files: an election as the text the reader reads back."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from changemaker.budgeting.engine.errors import PabulibError
from changemaker.budgeting.engine.model import Election, Voters
from changemaker.budgeting.engine.pabulib_fields import _number


def _fmt(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    # exact decimal if the denominator is 2^a 5^b, else a fraction the reader refuses
    d = x.denominator
    k = 0
    while d % 10 == 0 or d % 2 == 0 or d % 5 == 0:
        if d % 10 == 0:
            d //= 10
        elif d % 2 == 0:
            d //= 2
        else:
            d //= 5
        k += 1
    if d != 1:
        raise ValueError(f"{x} has no exact decimal form")
    scaled = x * 10**k
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(k + 1, "0")
    return f"{sign}{digits[:-k]}.{digits[-k:]}".rstrip("0").rstrip(".")


def _says(text: str | None, amount: Fraction) -> bool:
    """Whether a META value is already written as exactly ``amount``."""
    try:
        return text is not None and _number(text, "", 0, "") == amount
    except PabulibError:
        return False


_SPECIAL = re.compile(r'[;"\r\n]')


class _Writer:
    """Rows of ``;``-separated fields ending in ``\n``. A field with ``;``, a quote or a line
    break (``\r`` too, which ``csv.writer`` leaves bare unless it ends its lines) is quoted."""

    def __init__(self, out: io.StringIO) -> None:
        self.out = out

    def writerow(self, row: Iterable[str]) -> None:
        cells = ('"' + v.replace('"', '""') + '"' if _SPECIAL.search(v) else v for v in row)
        self.out.write(";".join(cells) + "\n")


def election_to_pabulib(election: Election) -> str:
    """The text of a ``.pb`` file for ``election``; reading it back gives the same election."""
    out = io.StringIO()
    w = _Writer(out)
    voters = election.voters
    if voters is None:
        ids = tuple(str(i + 1) for i in range(election.num_voters))
        of_voter = tuple(k for k, m in enumerate(election.multiplicity) for _ in range(m))
        voters = Voters(ids=ids, ballot_index=of_voter)
    meta = dict(election.meta)
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(len(voters.ids))
    if not _says(meta.get("budget"), election.budget):  # keep the file's own "010" or "10.0"
        meta["budget"] = _fmt(election.budget)
    meta["vote_type"] = election.vote_type
    w.writerow(["META"])
    w.writerow(["key", "value"])
    for k, v in meta.items():
        w.writerow([k, v])
    w.writerow(["PROJECTS"])
    cols = list(election.project_columns)
    for p in election.projects:
        for k in p.meta:
            if k not in cols:
                cols.append(k)
    w.writerow(cols)
    for p in election.projects:
        values = {"project_id": p.id, "cost": _fmt(p.cost), **p.meta}
        w.writerow([values.get(c, "") for c in cols])
    w.writerow(["VOTES"])
    cardinal = election.vote_type in ("cumulative", "scoring")
    header = ["voter_id", *voters.columns, "vote"] + (["points"] if cardinal else [])
    w.writerow(header)
    rendered: list[list[str]] = []
    for b in election.ballots:
        cells = [",".join(election.projects[j].id for j in b.projects)]
        if cardinal:
            cells.append(",".join(_fmt(x) for x in (b.points or ())))
        rendered.append(cells)
    for pos, (vid, bi) in enumerate(zip(voters.ids, voters.ballot_index, strict=True)):
        extra = list(voters.extra[pos]) if voters.extra else []
        w.writerow([vid, *extra, *rendered[bi]])
    return out.getvalue()


def write_pabulib(election: Election, path: str | Path) -> None:
    """Write ``election`` to ``path`` atomically (a temporary file renamed into place)."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(election_to_pabulib(election), encoding="utf-8")
    tmp.replace(p)
