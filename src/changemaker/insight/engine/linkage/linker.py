"""``PersonLinker``: probabilistic record linkage of standardised person records, on
Splink 5 + DuckDB (or Spark).

::

    linker = PersonLinker(LinkageParameters(match_threshold=0.9))
    linker.fit(records)                 # u by random sampling, m by EM (labels never used)
    result = linker.link(records)       # blocking cost checked, predict, cluster, person ids
    linker.save(Path("model.json"))     # versioned JSON, reused by scheduled runs
    PersonLinker.load(Path("model.json")).link(next_month, previous=result.ids_by_record_key())

``records`` is the output of :func:`changemaker.insight.engine.standardise.standardise_frame`.
The model and the two rules applied on top of its scores are described in
:mod:`.comparisons`.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from splink import Linker
from splink.blocking_analysis import count_comparisons_from_blocking_rules
from splink.internals.database_api import DatabaseAPI

from changemaker.insight.engine.linkage.backends import (
    blocking_dicts,
    fetch,
    model_in_dialect,
    register,
)
from changemaker.insight.engine.linkage.clustering import attach_unambiguous, constrained_clusters
from changemaker.insight.engine.linkage.comparisons import apply_rules, rare_first_names
from changemaker.insight.engine.linkage.model_io import (
    builtin_document,
    model_document,
    parse_document,
    read_document,
    write_document,
)
from changemaker.insight.engine.linkage.name_forms import with_learned_forms
from changemaker.insight.engine.linkage.parameters import (
    BACKENDS,
    UNIQUE_ID,
    Backend,
    BlockingRuleCost,
    BlockingTooCostly,
    LinkageParameters,
    LinkResult,
    Progress,
    no_progress,
)
from changemaker.insight.engine.linkage.person_ids import assign_person_ids, record_keys
from changemaker.insight.engine.linkage.training import train


class PersonLinker:
    """Link standardised person records into persons with a Splink model.

    Parameters are fixed at construction; :meth:`fit` trains the model on the records
    themselves (unsupervised) and :meth:`link` runs blocking, scoring and clustering.
    """

    def __init__(
        self,
        parameters: LinkageParameters | None = None,
        *,
        model: dict[str, Any] | None = None,
        backend: Backend = "duckdb",
        spark: Any | None = None,
        duckdb_memory_limit: str | None = None,
    ) -> None:
        """``backend="spark"`` runs Splink on the given ``spark`` session (see
        :func:`changemaker.insight.engine.spark.local_session`; on a cluster, the session must
        have Splink's similarity jar on its class path). The model and the results are the
        same as with DuckDB. ``duckdb_memory_limit`` (e.g. ``"2GB"``) caps DuckDB's memory;
        above it DuckDB spills to a temporary directory."""
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
        if backend == "spark" and spark is None:
            raise ValueError("the spark backend needs a Spark session (spark=...)")
        self.parameters = parameters or LinkageParameters()
        self._model = model
        self.backend: Backend = backend
        self._spark = spark
        self._duckdb_memory_limit = duckdb_memory_limit
        self._registered: tuple[pd.DataFrame, DatabaseAPI[Any], Any] | None = None

    # -------------------------------------------------------------------- persistence
    @property
    def is_fitted(self) -> bool:
        return self._model is not None

    def to_json(self) -> dict[str, Any]:
        """The versioned JSON document describing this (fitted) linker."""
        return model_document(self.parameters, self._require_model())

    def save(self, path: Path) -> None:
        """Write the model as JSON (atomically: a half-written model is never left behind)."""
        write_document(path, self.to_json())

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> PersonLinker:
        parameters, model = parse_document(document)
        return cls(parameters, model=model)

    def on_backend(
        self, backend: Backend, spark: Any | None = None, duckdb_memory_limit: str | None = None
    ) -> PersonLinker:
        """This linker (same parameters and model) running on another backend."""
        return PersonLinker(
            self.parameters,
            model=self._model,
            backend=backend,
            spark=spark,
            duckdb_memory_limit=duckdb_memory_limit,
        )

    @classmethod
    def builtin(cls) -> PersonLinker:
        """The model shipped with Changemaker, trained on synthetic data
        (``synthetic.generate(SyntheticConfig(n_people=5000, seed=0))``, standardised and
        matched to dwellings: ``addresses.with_dwellings``).

        For inputs too small to train on; a council should train on its own data.
        """
        return cls.from_json(builtin_document())

    @classmethod
    def load(cls, path: Path) -> PersonLinker:
        return cls.from_json(read_document(path))

    # -------------------------------------------------------------------- training
    def fit(self, records: pd.DataFrame, progress: Progress = no_progress) -> PersonLinker:
        """Estimate the model from the records: prior from deterministic rules, u by random
        sampling, m by expectation maximisation over ``training_rules``.

        Raises :class:`TrainingFailed` (the linker stays as it was) when the records cannot
        be trained on: no pair of records agrees on the deterministic rules, or Splink fails.
        """
        self._model = train(
            lambda: self._register(records)[1],
            len(records),
            self.parameters,
            self.backend,
            progress,
        )
        return self

    # -------------------------------------------------------------------- running
    def blocking_cost(self, records: pd.DataFrame) -> tuple[BlockingRuleCost, ...]:
        """Candidate pairs each blocking rule adds (exact counts below 200,000 records)."""
        _db_api, table = self._register(records)
        proportion = 1.0 if len(records) <= 200_000 else 0.1
        with warnings.catch_warnings():
            # on a 10% sample Splink warns that rare rules' counts are rough: the total is
            # what the check needs
            warnings.simplefilter("ignore", UserWarning)
            counts = count_comparisons_from_blocking_rules(
                table,
                blocking_rules=list(self.parameters.blocking_rules),
                link_type="dedupe_only",
                unique_id_column_name=UNIQUE_ID,
                record_sample_proportion=proportion,
            )
        return tuple(
            BlockingRuleCost(
                rule,
                int(row["marginal_comparison_count"]),
                int(row["cumulative_comparison_count"]),
            )
            for rule, row in zip(self.parameters.blocking_rules, counts, strict=True)
        )

    def pair_budget(self, n_records: int) -> int:
        p = self.parameters
        return max(p.min_pair_budget, int(p.max_pairs_per_record * n_records))

    def check_blocking(self, records: pd.DataFrame) -> tuple[BlockingRuleCost, ...]:
        """Count candidate pairs and raise :class:`BlockingTooCostly` over the budget."""
        costs = self.blocking_cost(records)
        total = costs[-1].cumulative_pairs if costs else 0
        budget = self.pair_budget(len(records))
        if total > budget:
            worst = max(costs, key=lambda c: c.marginal_pairs)
            raise BlockingTooCostly(
                f"blocking rules would generate {total:,} candidate pairs (budget {budget:,}); "
                f"the costliest rule is {worst.rule!r} with {worst.marginal_pairs:,}"
            )
        return costs

    def predict(self, records: pd.DataFrame) -> pd.DataFrame:
        """Scored candidate pairs: ``left``/``right`` (positions in ``records``),
        ``match_weight``, ``match_probability``, after the personal-evidence and NINO rules."""
        model = self._require_model()
        model = dict(
            model,
            blocking_rules_to_generate_predictions=list(blocking_dicts(self.parameters)),
            retain_matching_columns=True,  # gamma columns, for the two rules
        )
        if self.backend == "spark":
            model = model_in_dialect(model, "spark")
        db_api, table = self._register(records)
        linker = Linker(table, model, log_level=None)
        scored = linker.inference.predict(
            threshold_match_probability=self.parameters.keep_threshold, warning_mode="never"
        )
        # only the columns needed leave the database (the matching columns stay there)
        wanted = ", ".join(
            [
                f"{UNIQUE_ID}_l",
                f"{UNIQUE_ID}_r",
                "match_weight",
                "match_probability",
                "gamma_first_name",
                "gamma_date_of_birth",
                "gamma_nino",
                # a record without a first name or a date of birth (for the second pass)
                "(first_name_l is null or date_of_birth_l is null) as bare_l",
                "(first_name_r is null or date_of_birth_r is null) as bare_r",
            ]
        )
        query = f"select {wanted} from {scored.physical_name}"  # noqa: S608 (our own names)
        frame = fetch(db_api, query)
        scored.drop_table_from_database_and_remove_from_cache()
        rare = rare_first_names(records["first_name"], self.parameters.rare_first_name)
        return apply_rules(frame, model, self.parameters, rare)

    def cluster(self, n_records: int, pairs: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Cluster pairs at or above ``match_threshold``, strongest links first, never joining
        two clusters that hold a cannot-link pair (see :func:`constrained_clusters`); then a
        record left alone for want of personal evidence joins the only cluster it can belong
        to (see :func:`attach_unambiguous`)."""
        linked = pairs[pairs["match_probability"] >= self.parameters.match_threshold]
        vetoed = pairs[pairs["cannot_link"]] if "cannot_link" in pairs else pairs.iloc[:0]
        labels = constrained_clusters(
            n_records,
            linked["left"].to_numpy(dtype=np.int64),
            linked["right"].to_numpy(dtype=np.int64),
            linked["match_weight"].to_numpy(dtype=np.float64),
            vetoed["left"].to_numpy(dtype=np.int64),
            vetoed["right"].to_numpy(dtype=np.int64),
        )
        if not self.parameters.attach_unambiguous or "bare_left" not in pairs:
            return labels
        cannot = pairs["cannot_link"].to_numpy(dtype=bool)
        bare = np.zeros(n_records, dtype=bool)
        for side in ("left", "right"):
            flagged = pairs[f"bare_{side}"].fillna(False).to_numpy(dtype=bool)
            bare[pairs[side].to_numpy(dtype=np.int64)[flagged]] = True
        # vetoed for want of personal evidence only, and scored at the threshold before it
        threshold = self.parameters.match_threshold
        weight_at_threshold = np.log2(threshold / (1.0 - threshold)) if threshold < 1 else np.inf
        strong = (
            pairs["vetoed"].to_numpy(dtype=bool)
            & ~cannot
            & (pairs["match_weight"].to_numpy(dtype=np.float64) >= weight_at_threshold)
        )
        return attach_unambiguous(
            labels,
            pairs["left"].to_numpy(dtype=np.int64),
            pairs["right"].to_numpy(dtype=np.int64),
            strong,
            cannot,
            bare,
        )

    def link(
        self,
        records: pd.DataFrame,
        *,
        previous: pd.Series | None = None,
        progress: Progress = no_progress,
        check_cost: bool = True,
    ) -> LinkResult:
        """Block (cost checked first), score, cluster, and give each cluster a person id.

        ``previous`` maps record keys (``"source_dataset/record_id"``) to the person ids of
        an earlier run: a cluster keeps the id of the old person it overlaps most.
        """
        try:
            # one registration of the records serves training, counting and scoring
            self._registered = None
            self._register(records, keep=True)
            if not self.is_fitted:
                self.fit(records, progress)
            blocking: tuple[BlockingRuleCost, ...] = ()
            if check_cost:
                progress("counting candidate pairs")
                blocking = self.check_blocking(records)
            progress("scoring candidate pairs")
            pairs = self.predict(records)
        finally:
            self._registered = None
        progress("clustering")
        labels = self.cluster(len(records), pairs)
        cluster_ids = pd.Series(labels, index=records.index, name="cluster_id")
        keys = record_keys(records)
        person_ids = assign_person_ids(
            pd.Series(labels, index=keys), previous if previous is not None else None
        )
        person_ids.index = records.index
        stats = {
            "records": float(len(records)),
            "candidate_pairs": float(blocking[-1].cumulative_pairs if blocking else -1),
            "scored_pairs_kept": float(len(pairs)),
            "links": float((pairs["match_probability"] >= self.parameters.match_threshold).sum()),
            "persons": float(cluster_ids.nunique()),
        }
        return LinkResult(cluster_ids, person_ids.rename("person_id"), pairs, blocking, keys, stats)

    # -------------------------------------------------------------------- internals
    def _require_model(self) -> dict[str, Any]:
        if self._model is None:
            raise RuntimeError("the linker is not fitted: call fit() or load a model")
        return self._model

    def _register(
        self, records: pd.DataFrame, *, keep: bool = False
    ) -> tuple[DatabaseAPI[Any], Any]:
        """The records' model columns as a table of the backend (reused within a run)."""
        if self._registered is not None and self._registered[0] is records:
            return self._registered[1], self._registered[2]
        table = with_learned_forms(records, learn=self.parameters.learn_name_forms)
        db_api, splink_table = register(table, self.backend, self._spark, self._duckdb_memory_limit)
        if keep:
            self._registered = (records, db_api, splink_table)
        return db_api, splink_table


def with_parameters(linker: PersonLinker, **changes: Any) -> PersonLinker:
    """A copy of a fitted linker with some run parameters changed (e.g. the threshold)."""
    return PersonLinker(
        replace(linker.parameters, **changes),
        model=linker._model,
        backend=linker.backend,
        spark=linker._spark,
        duckdb_memory_limit=linker._duckdb_memory_limit,
    )
