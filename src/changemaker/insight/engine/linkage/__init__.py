"""Probabilistic record linkage of standardised person records, on Splink 5 + DuckDB.

One module a concern:

* :mod:`.parameters` -- the model's columns, blocking and training rules,
  ``LinkageParameters``, the results (``LinkResult``, ``BlockingRuleCost``) and errors;
* :mod:`.comparisons` -- the model's comparisons and the personal-evidence and NINO rules
  applied on top of its scores;
* :mod:`.backends` -- the records as a DuckDB or Spark table, and the model's SQL in either
  dialect;
* :mod:`.model_io` -- the model as versioned JSON (``save``/``load``, the built-in model);
* :mod:`.training` -- the prior, u by random sampling, m by expectation maximisation;
* :mod:`.name_forms` -- first-name forms learned from the records themselves (records that
  share a NINO and a date of birth under two forms of a first name), compared at a level of
  their own;
* :mod:`.clustering` -- ``constrained_clusters``: links strongest first, cannot-links kept apart;
* :mod:`.person_ids` -- ``record_keys`` and ``assign_person_ids``: ids stable across runs;
* :mod:`.linker` -- ``PersonLinker`` (``fit``, ``check_blocking``, ``predict``, ``cluster``,
  ``link``) and ``with_parameters``.

The names below are this package's public interface (callers import them from here).
"""

from changemaker.insight.engine.linkage.clustering import constrained_clusters
from changemaker.insight.engine.linkage.comparisons import comparisons
from changemaker.insight.engine.linkage.linker import PersonLinker, with_parameters
from changemaker.insight.engine.linkage.parameters import (
    BACKENDS,
    BUILTIN_MODEL,
    DEFAULT_BLOCKING_RULES,
    DEFAULT_TRAINING_RULES,
    DETERMINISTIC_RULES,
    LARGE_INPUT_BLOCKING_RULES,
    MIN_TRAINING_RECORDS,
    MODEL_COLUMNS,
    MODEL_FORMAT,
    MODEL_VERSION,
    UNIQUE_ID,
    Backend,
    BlockingRuleCost,
    BlockingTooCostly,
    LinkageParameters,
    LinkResult,
    ModelFileError,
    Progress,
    TrainingFailed,
)
from changemaker.insight.engine.linkage.person_ids import assign_person_ids, record_keys

__all__ = [
    "BACKENDS",
    "BUILTIN_MODEL",
    "DEFAULT_BLOCKING_RULES",
    "DEFAULT_TRAINING_RULES",
    "DETERMINISTIC_RULES",
    "LARGE_INPUT_BLOCKING_RULES",
    "MIN_TRAINING_RECORDS",
    "MODEL_COLUMNS",
    "MODEL_FORMAT",
    "MODEL_VERSION",
    "UNIQUE_ID",
    "Backend",
    "BlockingRuleCost",
    "BlockingTooCostly",
    "LinkResult",
    "LinkageParameters",
    "ModelFileError",
    "PersonLinker",
    "Progress",
    "TrainingFailed",
    "assign_person_ids",
    "comparisons",
    "constrained_clusters",
    "record_keys",
    "with_parameters",
]
