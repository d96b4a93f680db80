"""Residents' stories: how well and how fast the grouping engine finds known topics.

    python bench/stories.py [--repeat N]

Runs ``listening.engine.stories.suggest`` on the hand-labelled stories of its tests (3 topics x
10) and the demo's (4 topics x 10), prints groups, adjusted Rand index, purity and the median
time of N runs; then on a larger set made by repeating the demo's stories with small changes
(to see how time grows)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from changemaker.listening import demo_stories
from changemaker.listening.engine.stories import (
    adjusted_rand,
    assignment,
    purity,
    suggest,
)
from changemaker.listening.engine.tests.labelled_stories import labelled


def run(name: str, texts: list[str], topics: list[str], repeat: int) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        groups = suggest(texts)
        times.append(time.perf_counter() - start)
    found = assignment(groups, len(texts))
    print(
        f"{name:<14} stories={len(texts):>4} groups={len(groups):>2} "
        f"ARI={adjusted_rand(topics, found):.3f} purity={purity(topics, found):.3f} "
        f"ungrouped={found.count(None):>3} median={statistics.median(times) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    run("hand-labelled", *labelled(), args.repeat)
    run("demo", *demo_stories.labelled(), args.repeat)
    texts, topics = demo_stories.labelled()
    many = [f"{t} ({i})" for i in range(10) for t in texts]
    run("demo x10", many, topics * 10, max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
