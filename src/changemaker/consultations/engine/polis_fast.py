"""Fast whole-column parsing of Polis export files (None whenever the input is unusual)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def _fast_ints(values: list[str], max_digits: int) -> NDArray[np.int64] | None:
    """All values at once when every one is 1..max_digits ASCII digits, else None."""
    if not values:
        return np.zeros(0, dtype=np.int64)
    joined = "".join(values)
    if not (joined.isascii() and joined.isdigit()) or "" in values:
        return None
    if max(map(len, values)) > max_digits:
        return None
    return np.array(values).astype(np.int64)


def _fast_votes(values: list[str]) -> NDArray[np.int64] | None:
    if not set(values) <= {"-1", "0", "1"}:
        return None
    return np.array(values).astype(np.int64)


def _fast_matrix(
    text: str, header: list[str], idx: list[int]
) -> tuple[NDArray[np.int64], list[int | None], NDArray[np.uint8]] | None:
    """Quote-free ``participants-votes.csv`` parsed with whole-text string operations.

    Returns (participant ids, group ids, cell codes A/D/P/_ per row and statement) or None
    whenever anything is unusual (quotes, ragged rows, a cell other than -1/0/1/empty, bad ids,
    duplicates...), so that the field-by-field path can name the offending line and column.
    """
    n_fix = idx[0] if idx else 0
    if (
        not idx
        or '"' in text
        or "\r" in text
        or idx != list(range(n_fix, len(header)))
        or header.index("participant") >= n_fix
        or header.index("group-id") >= n_fix
    ):
        return None
    lines = text.split("\n")
    if [h.strip() for h in lines[0].split(",")] != header:
        return None
    lines = [line for line in lines[1:] if line]
    if not lines:
        return None
    ip, ig = header.index("participant"), header.index("group-id")
    heads = [line.split(",", n_fix) for line in lines]
    if any(len(h) != n_fix + 1 for h in heads):
        return None
    pids = _fast_ints([h[ip] for h in heads], 15)
    if pids is None or len(np.unique(pids)) != len(pids):
        return None
    raw_groups = [h[ig] for h in heads]
    if not all(g == "" or (g.isascii() and g.isdigit() and len(g) <= 15) for g in raw_groups):
        return None
    groups: list[int | None] = [int(g) if g else None for g in raw_groups]
    width, n = len(idx), len(lines)
    try:
        data = "\n".join(h[n_fix] for h in heads).encode("ascii")
    except UnicodeEncodeError:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    seps = np.flatnonzero((buf == ord(",")) | (buf == ord("\n")))
    if len(seps) != n * width - 1:
        return None
    newlines = seps[width - 1 :: width]
    if not bool(np.all(buf[newlines] == ord("\n"))) or int((buf == ord("\n")).sum()) != n - 1:
        return None
    starts = np.concatenate(([0], seps + 1))
    lengths = np.append(seps, len(buf)) - starts
    padded = np.append(buf, np.zeros(2, dtype=np.uint8))
    first, second = padded[starts], padded[starts + 1]
    codes = np.full(n * width, ord("?"), dtype=np.uint8)
    codes[lengths == 0] = ord("_")
    one = lengths == 1
    codes[one & (first == ord("1"))] = ord("A")
    codes[one & (first == ord("0"))] = ord("P")
    codes[(lengths == 2) & (first == ord("-")) & (second == ord("1"))] = ord("D")
    if bool(np.any(codes == ord("?"))):
        return None
    return pids, groups, codes.reshape(n, width)
