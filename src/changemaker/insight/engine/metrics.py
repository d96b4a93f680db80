"""Accuracy of a clustering against labelled truth: pairwise and whole-cluster scores.

Pairwise scores count record pairs (computed from the contingency table, without listing
pairs, so they are cheap on a million records). Cluster scores count clusters reproduced
exactly: a predicted cluster is correct only if it holds exactly the records of one true
cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True, slots=True)
class Accuracy:
    pairwise: Scores
    cluster: Scores
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    def as_dict(self) -> dict[str, object]:
        return {
            "pairwise": self.pairwise.as_dict(),
            "cluster": self.cluster.as_dict(),
            "true_pairs": self.true_pairs,
            "predicted_pairs": self.predicted_pairs,
            "correct_pairs": self.correct_pairs,
        }


def _scores(correct: float, predicted: float, true: float) -> Scores:
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def _pairs(counts: np.ndarray) -> int:
    c = counts.astype(np.int64)
    return int((c * (c - 1) // 2).sum())


def accuracy(predicted: pd.Series | np.ndarray, truth: pd.Series | np.ndarray) -> Accuracy:
    """Pairwise and cluster precision/recall/F1 of ``predicted`` labels against ``truth``.

    Both are label arrays of the same length (one label per record; missing labels are not
    allowed: give unlabelled records a unique label).
    """
    pred = pd.Series(np.asarray(predicted)).reset_index(drop=True)
    true = pd.Series(np.asarray(truth)).reset_index(drop=True)
    if len(pred) != len(true):
        raise ValueError("predicted and truth must have the same length")
    if pred.isna().any() or true.isna().any():
        raise ValueError("labels must not be missing")
    pred_codes = pd.factorize(pred)[0]
    true_codes = pd.factorize(true)[0]
    joint = pd.DataFrame({"p": pred_codes, "t": true_codes})
    predicted_pairs = _pairs(np.bincount(pred_codes))
    true_pairs = _pairs(np.bincount(true_codes))
    correct_pairs = _pairs(joint.groupby(["p", "t"]).size().to_numpy())
    pairwise = _scores(correct_pairs, predicted_pairs, true_pairs)
    # a predicted cluster is exact when all its records share one true label and that true
    # cluster has no records elsewhere.
    cells = joint.groupby(["p", "t"]).size().reset_index(name="n")
    p_size = np.bincount(pred_codes)
    t_size = np.bincount(true_codes)
    exact = int(
        (
            (cells["n"].to_numpy() == p_size[cells["p"]])
            & (cells["n"].to_numpy() == t_size[cells["t"]])
        ).sum()
    )
    cluster = _scores(exact, len(p_size), len(t_size))
    return Accuracy(pairwise, cluster, true_pairs, predicted_pairs, correct_pairs)
