"""Suggested groupings of residents' stories: pure (scikit-learn, no Django, no network).

Each story becomes a TF-IDF vector of its words: lower-cased, at least three letters, English
stop words (scikit-learn's list) and a small Welsh list left out, a light suffix stripping so
"light", "lights" and "lighting" count as one word, and only words found in at least two
stories (a word one story uses says nothing about what stories share). Stories are compared by
cosine similarity and grouped by agglomerative clustering (average linkage): deterministic (no
random start, unlike k-means or NMF's random initialisation), it works for a handful of stories
as for hundreds, and the number of groups is chosen, not given: the one (2 to ``MAX_GROUPS``)
whose grouping has the best silhouette (how much closer stories are to their own group than to
the next). Measured on hand-labelled stories (``tests/``; ``bench/stories.py``).

A group of one story is not a suggestion; stories with no counted word left (empty, or only
stop words or words no other story uses) are in no group. Each group is labelled by its top
terms: the words with the highest mean weight in the group, each shown as the form the group's
stories use most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, silhouette_score

MAX_GROUPS = 8
LABEL_TERMS = 3
#: the smallest group worth suggesting as a theme
MIN_GROUP = 2

#: Common Welsh words that say nothing about a topic (articles, pronouns, prepositions, forms
#: of "bod"); written for this engine, short on purpose.
WELSH_STOP_WORDS = frozenset(
    {
        "a",
        "ac",
        "am",
        "ar",
        "at",
        "bod",
        "byddai",
        "bydd",
        "chi",
        "dan",
        "dim",
        "drwy",
        "dros",
        "ei",
        "eich",
        "ein",
        "eu",
        "fe",
        "fi",
        "fy",
        "gan",
        "gyda",
        "hefyd",
        "heb",
        "hi",
        "hon",
        "hwn",
        "hwnnw",
        "iawn",
        "maen",
        "mae",
        "mewn",
        "mwy",
        "nad",
        "nag",
        "neu",
        "nhw",
        "nid",
        "oedd",
        "oes",
        "ond",
        "pan",
        "pob",
        "roedd",
        "rhwng",
        "sut",
        "sydd",
        "sy",
        "wedi",
        "wrth",
        "yma",
        "yn",
        "yno",
        "yr",
        "ydw",
        "ydy",
        "ydyn",
        "hynny",
        "fel",
        "felly",
        "gall",
        "gallu",
        "cael",
    }
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | WELSH_STOP_WORDS
_WORD = re.compile(r"[^\W\d_]{3,}")
_SUFFIXES = ("ing", "ers", "er", "es", "s")


@dataclass(frozen=True)
class Group:
    """A suggested theme: its label, its top terms and its stories (their input positions)."""

    label: str
    terms: tuple[str, ...]
    members: tuple[int, ...]


def words(text: str) -> list[str]:
    """The words of a text that are counted, as written (lower case), stop words left out."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def stem(word: str) -> str:
    """A light, predictable suffix stripping (no dictionary): lights, lighting -> light."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def _stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def suggest(texts: Sequence[str], *, max_groups: int = MAX_GROUPS) -> list[Group]:
    """Suggested groups of ``texts``, the largest first (ties: the first story first)."""
    stems = [_stems(t) for t in texts]
    shared = Counter(s for story in stems for s in set(story))
    kept = [i for i, story in enumerate(stems) if any(shared[s] >= MIN_GROUP for s in story)]
    if len(kept) < 2 * MIN_GROUP:
        return _one_group(texts, kept)
    vectoriser = TfidfVectorizer(
        analyzer=_stems, sublinear_tf=True, min_df=MIN_GROUP, dtype=np.float64
    )
    matrix = vectoriser.fit_transform([texts[i] for i in kept]).toarray()
    labels = _cluster(matrix, max_groups)
    vocabulary = vectoriser.get_feature_names_out()
    groups = []
    for label in sorted(set(labels)):
        rows = [r for r, found in enumerate(labels) if found == label]
        if len(rows) < MIN_GROUP:
            continue
        members = tuple(kept[r] for r in rows)
        terms = _top_terms(matrix[rows], vocabulary, [texts[i] for i in members])
        groups.append(Group(", ".join(terms), terms, members))
    return sorted(groups, key=lambda g: (-len(g.members), g.members[0]))


def _one_group(texts: Sequence[str], kept: list[int]) -> list[Group]:
    """Too few stories to compare groupings: one group of those that share words, if any."""
    if len(kept) < MIN_GROUP:
        return []
    counts = Counter(s for i in kept for s in set(_stems(texts[i])))
    common = sorted((s for s, n in counts.items() if n >= MIN_GROUP), key=lambda s: (-counts[s], s))
    terms = tuple(_surface(s, [texts[i] for i in kept]) for s in common[:LABEL_TERMS])
    return [Group(", ".join(terms), terms, tuple(kept))]


def _cluster(matrix: np.ndarray, max_groups: int) -> list[int]:
    """Agglomerative clustering (cosine, average linkage); the number of groups with the best
    silhouette (the fewest groups on a tie)."""
    n = matrix.shape[0]
    if not np.any(matrix):
        return [0] * n
    best: tuple[float, list[int]] | None = None
    for k in range(2, min(max_groups, n - 1) + 1):
        model = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
        labels = [int(x) for x in model.fit_predict(matrix)]
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(matrix, labels, metric="cosine"))
        if best is None or score > best[0] + 1e-12:
            best = (score, labels)
    return best[1] if best is not None else [0] * n


def _top_terms(rows: np.ndarray, vocabulary: np.ndarray, texts: list[str]) -> tuple[str, ...]:
    weights = rows.mean(axis=0)
    order = sorted(range(len(vocabulary)), key=lambda j: (-weights[j], str(vocabulary[j])))
    chosen = [str(vocabulary[j]) for j in order[:LABEL_TERMS] if weights[j] > 0]
    return tuple(_surface(s, texts) for s in chosen)


def _surface(stemmed: str, texts: list[str]) -> str:
    """The form of a stemmed word the texts use most (ties: alphabetical)."""
    forms = Counter(w for t in texts for w in words(t) if stem(w) == stemmed)
    if not forms:
        return stemmed
    return min(forms, key=lambda w: (-forms[w], w))


def adjusted_rand(truth: Sequence[str], found: Sequence[int | None]) -> float:
    """How far a grouping agrees with known topics (1 the same, about 0 by chance); a story in
    no group counts as a group of its own."""
    labels = [f"g{x}" if x is not None else f"alone{i}" for i, x in enumerate(found)]
    return float(adjusted_rand_score(list(truth), labels))


def assignment(groups: Sequence[Group], n: int) -> list[int | None]:
    """Each story's group (its position in ``groups``), or None."""
    found: list[int | None] = [None] * n
    for g, group in enumerate(groups):
        for i in group.members:
            found[i] = g
    return found


def purity(truth: Sequence[str], found: Sequence[int | None]) -> float:
    """The share of grouped stories whose group's most common topic is theirs."""
    by_group: dict[int, Counter[str]] = {}
    for topic, g in zip(truth, found, strict=True):
        if g is not None:
            by_group.setdefault(g, Counter())[topic] += 1
    grouped = sum(sum(c.values()) for c in by_group.values())
    if not grouped:
        return 0.0
    return sum(c.most_common(1)[0][1] for c in by_group.values()) / grouped
