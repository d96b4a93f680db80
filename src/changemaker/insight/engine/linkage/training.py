"""Training the model on the records themselves (unsupervised): the prior from deterministic
rules, u by random sampling, m by expectation maximisation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from splink import Linker, SettingsCreator

from changemaker.insight.engine.linkage.backends import blocking_dicts, model_in_dialect
from changemaker.insight.engine.linkage.comparisons import comparisons
from changemaker.insight.engine.linkage.parameters import (
    DETERMINISTIC_RULES,
    UNIQUE_ID,
    Backend,
    LinkageParameters,
    Progress,
    TrainingFailed,
)

logger = logging.getLogger(__name__)


def train(
    table_of: Callable[[], Any],
    n_records: int,
    parameters: LinkageParameters,
    backend: Backend,
    progress: Progress,
) -> dict[str, Any]:
    """The Splink model (in DuckDB's SQL) trained on the table ``table_of()`` registers.

    Raises :class:`TrainingFailed` when the records cannot be trained on: no pair of records
    agrees on the deterministic rules, or Splink fails.
    """
    stage = "preparing the training"

    def track(message: str) -> None:
        nonlocal stage
        stage = message
        progress(message)

    try:
        return _train(table_of(), n_records, parameters, backend, track)
    except TrainingFailed:
        raise
    except Exception as exc:  # Splink raises ValueError, SplinkException, DuckDB errors...
        logger.warning("linkage training failed while %s: %s", stage, type(exc).__name__)
        raise TrainingFailed(
            # the type only: a database error's text may quote a record's values
            f"the linkage model could not be trained on these records (while {stage}: "
            f"{type(exc).__name__})"
        ) from exc


def _bound_unobserved_u(linker: Linker, sampled_pairs: float) -> None:
    """Give a level no sampled pair of records reached (two strangers sharing a phone, NINOs one
    character apart) the upper 95% bound of its u, 3 / pairs sampled ("rule of three"), where
    Splink would save no u and score the level as no evidence at all: a rare agreement is strong
    evidence of one person, and whether a sample happened to hold one must not decide that."""
    bound = 3.0 / sampled_pairs
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if not level.is_null_level and not level._u_is_trained:
                level.u_probability = bound


def _train(
    table: Any,
    n_records: int,
    params: LinkageParameters,
    backend: Backend,
    progress: Progress,
) -> dict[str, Any]:
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=list(comparisons(backend)),
        blocking_rules_to_generate_predictions=list(blocking_dicts(params)),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=None)
    progress("estimating the prior match probability")
    linker.training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=params.prior_recall
    )
    prior = linker._settings_obj._probability_two_random_records_match
    if not 0.0 < prior < 1.0:
        # a prior of 0 makes every match weight log2(0): refuse rather than crash in EM
        raise TrainingFailed(
            "no two records agree on name, date of birth and address, or on National "
            "Insurance number and date of birth, so the share of matching records cannot "
            "be estimated"
        )
    progress("estimating u by random sampling")
    linker.training.estimate_u_using_random_sampling(max_pairs=params.u_max_pairs, seed=params.seed)
    _bound_unobserved_u(linker, params.u_max_pairs)
    # EM pair sampling probes 1% of records: only worth it on large inputs.
    em_max_pairs = params.em_max_pairs if n_records > 200_000 else None
    for rule in params.training_rules:
        progress("estimating m by expectation maximisation")
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=em_max_pairs
        )
    model = linker.misc.save_model_to_json()
    # the model is saved in DuckDB's SQL whichever backend trained it
    return model_in_dialect(model, "duckdb") if backend == "spark" else model
