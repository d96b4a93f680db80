"""Why the linker misses or merges: false negatives and false positives broken down by cause.

Usage::

    .venv/bin/python bench/linkage_misses.py                 # 20,000 people (~55,000 records)
    .venv/bin/python bench/linkage_misses.py --people 2000 --seed 3 --examples 10

The records are generated (``synthetic.generate_with_gazetteer``), standardised and matched to
dwellings without a gazetteer, and linked with the linker's defaults, as ``bench/insight.py``'s
pipeline does. Every *missed* pair (one true person, two predicted persons) gets one cause:

* ``not blocked``: no blocking rule brings the two records together;
* ``vetoed``: scored, but the personal-evidence rule refused it (no first name or date of
  birth agreeing, or a disagreement);
* ``scored below threshold``: scored under the match threshold;
* ``linked but split``: the pair itself scored at the threshold, but clustering kept the two
  records apart (a cannot-link between their clusters).

For each cause it counts how the pair's fields compare (same, nickname form, differ, missing)
and the match weights below the threshold; then the first-name pairs most often missed, and
the wrong merges (pairs in one predicted person, two true persons): linked directly or through
others, in one true household or not. ``--examples N`` prints N pairs of each kind.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from changemaker.insight.engine.addresses import with_dwellings  # noqa: E402
from changemaker.insight.engine.linkage import (  # noqa: E402
    LinkageParameters,
    PersonLinker,
    with_parameters,
)
from changemaker.insight.engine.metrics import accuracy  # noqa: E402
from changemaker.insight.engine.standardise import standardise_frame  # noqa: E402
from changemaker.insight.engine.synthetic import (  # noqa: E402
    TRUE_HOUSEHOLD,
    TRUE_PERSON,
    SyntheticConfig,
    generate_with_gazetteer,
)

FIELDS = ("first_name", "surname", "date_of_birth", "nino", "address_key", "email", "phone")
SHOWN = ("first_name", "surname", "date_of_birth", "nino", "postcode", "address_line", "email")


def pairs_within(labels: np.ndarray) -> pd.DataFrame:
    """Every pair of positions (left < right) that share a label."""
    frame = pd.DataFrame({"label": labels, "pos": np.arange(len(labels))})
    frame = frame[frame.duplicated("label", keep=False)]
    both = frame.merge(frame, on="label")
    both = both[both["pos_x"] < both["pos_y"]]
    return pd.DataFrame({"left": both["pos_x"].to_numpy(), "right": both["pos_y"].to_numpy()})


def compare_fields(records: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` with, for each field, ``same``, ``differ`` or ``missing`` (first names also
    ``nickname form``: different, one canonical form)."""
    out = pairs.copy()
    for field in FIELDS:
        a = records[field].to_numpy()[pairs["left"]]
        b = records[field].to_numpy()[pairs["right"]]
        missing = pd.isna(a) | pd.isna(b)
        out[field] = np.where(missing, "missing", np.where(a == b, "same", "differ"))
    canonical = records["first_name_canonical"].to_numpy()
    nickname = canonical[pairs["left"]] == canonical[pairs["right"]]
    out.loc[(out["first_name"] == "differ") & nickname, "first_name"] = "nickname form"
    return out


def missed_pairs(
    records: pd.DataFrame, persons: np.ndarray, scored: pd.DataFrame, threshold: float
) -> pd.DataFrame:
    """True pairs in two predicted persons, each with its cause and match weight."""
    truth = records[TRUE_PERSON].to_numpy()
    true_pairs = pairs_within(truth)
    missed = true_pairs[persons[true_pairs["left"]] != persons[true_pairs["right"]]]
    missed = missed.reset_index(drop=True)
    found = scored.reindex(pd.MultiIndex.from_arrays([missed["left"], missed["right"]]))
    missed["weight"] = found["match_weight"].to_numpy()
    blocked = found["match_weight"].notna().to_numpy()
    vetoed = found["vetoed"].fillna(False).to_numpy(dtype=bool)
    low = found["match_probability"].to_numpy() < threshold
    missed["cause"] = np.select(
        [~blocked, vetoed, low],
        ["not blocked", "vetoed", "scored below threshold"],
        "linked but split",
    )
    print(f"\ntrue pairs {len(true_pairs):,}, missed {len(missed):,}")
    return compare_fields(records, missed)


def wrong_pairs(
    records: pd.DataFrame, persons: np.ndarray, scored: pd.DataFrame, threshold: float
) -> pd.DataFrame:
    """Pairs in one predicted person but two true persons: linked directly or not, in one
    true household or not."""
    truth = records[TRUE_PERSON].to_numpy()
    predicted = pairs_within(persons)
    wrong = predicted[truth[predicted["left"]] != truth[predicted["right"]]]
    wrong = wrong.reset_index(drop=True)
    found = scored.reindex(pd.MultiIndex.from_arrays([wrong["left"], wrong["right"]]))
    wrong["direct"] = (found["match_probability"] >= threshold).fillna(False).to_numpy()
    households = records[TRUE_HOUSEHOLD].to_numpy()
    wrong["one_household"] = households[wrong["left"]] == households[wrong["right"]]
    print(f"\npredicted pairs {len(predicted):,}, wrong {len(wrong):,}")
    return compare_fields(records, wrong)


def report_missed(records: pd.DataFrame, missed: pd.DataFrame) -> None:
    print(missed["cause"].value_counts().to_string())
    for cause, group in missed.groupby("cause"):
        print(f"\n== {cause}: {len(group)} (first name, date of birth)")
        sizes = group.groupby(["first_name", "date_of_birth"]).size()
        print(sizes.sort_values(ascending=False).head(10).to_string())
        for field in ("surname", "nino", "address_key"):
            print(f"{field}: {group[field].value_counts().to_dict()}")
        if cause == "scored below threshold":
            print("weights:", group["weight"].describe().round(2).to_dict())
    differ = missed[missed["first_name"] == "differ"]
    names = records["first_name"].to_numpy()
    shown = pd.DataFrame({"a": names[differ["left"]], "b": names[differ["right"]]})
    print("\nfirst names most often differing in missed pairs:")
    print(shown.value_counts().head(20).to_string())


def report_wrong(wrong: pd.DataFrame) -> None:
    print("linked directly:", wrong["direct"].value_counts().to_dict())
    print("in one true household:", wrong["one_household"].value_counts().to_dict())
    sizes = wrong.groupby(["direct", "first_name", "date_of_birth"]).size()
    print(sizes.sort_values(ascending=False).head(10).to_string())


def examples(records: pd.DataFrame, pairs: pd.DataFrame, title: str, n: int) -> None:
    print(f"\n=== {title}")
    for _, row in pairs.head(n).iterrows():
        print(records.loc[[row["left"], row["right"]], list(SHOWN)].to_string(header=False))
        print("--")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--examples", type=int, default=0, metavar="N")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    raw, _gazetteer = generate_with_gazetteer(SyntheticConfig(n_people=args.people, seed=args.seed))
    standard, _matches = with_dwellings(standardise_frame(raw))
    linker = PersonLinker(LinkageParameters()).fit(standard)
    persons = linker.link(standard).person_ids.to_numpy()
    threshold = linker.parameters.match_threshold
    records = standard.assign(
        **{TRUE_PERSON: raw[TRUE_PERSON], TRUE_HOUSEHOLD: raw[TRUE_HOUSEHOLD]}
    )
    records = records.reset_index(drop=True)
    scores = accuracy(persons, records[TRUE_PERSON]).pairwise
    print(f"{len(records):,} records; persons P {scores.precision:.4f} R {scores.recall:.4f}")
    # every blocked pair, however low its score
    scored = with_parameters(linker, keep_threshold=0.0).predict(standard)
    scored = scored.set_index(["left", "right"])
    missed = missed_pairs(records, persons, scored, threshold)
    report_missed(records, missed)
    wrong = wrong_pairs(records, persons, scored, threshold)
    report_wrong(wrong)
    if args.examples:
        for cause, group in missed.groupby("cause"):
            examples(records, group, f"missed: {cause}", args.examples)
        examples(records, wrong[wrong["direct"]], "wrong, linked directly", args.examples)


if __name__ == "__main__":
    main()
