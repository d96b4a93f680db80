"""What decides a linkage run: the model's columns, the blocking and training rules, the
parameters saved with the model, and the types a run gives back or raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal

import pandas as pd

MODEL_FORMAT: Final = "changemaker.insight.linkage-model"
MODEL_VERSION: Final = 1
BUILTIN_MODEL: Final = "builtin_model.json"
#: Fewer records than this are linked with the built-in model rather than trained on.
MIN_TRAINING_RECORDS: Final = 1000
UNIQUE_ID: Final = "unique_id"

#: Columns the model reads (from ``standardise_frame``).
MODEL_COLUMNS: Final[tuple[str, ...]] = (
    "first_name",
    "first_name_canonical",
    "first_name_learned",  # added by name_forms.with_learned_forms
    "surname",
    "date_of_birth",
    "postcode",
    "postcode_outward",
    "postcode_sector",
    "address_line",
    "dwelling",
    "address_key",
    "nino",
    "email",
    "phone",
)

_NAMES: Final = "l.first_name_canonical = r.first_name_canonical and l.surname = r.surname"

#: Blocking rules for prediction: a pair is scored if any rule holds (SQL on ``l``/``r``).
#:
#: Each rule's cost was checked on 1,000,000 generated records (1.28 million true pairs):
#: these 13 rules give 3.5 million candidate pairs holding 97.1% of the true pairs, where the
#: earlier set gave 10.5 million holding 97.2%. Rules that grow with the square of the input
#: are narrowed: first name + surname only within a postal district, a birth month or a
#: birthday; swapped names only within a district; surname + postcode only when the first
#: names could be one (same initial or nickname form, or one missing).
#: The 14th rule (same house number and street, same first name, and the same postal sector
#: or a postcode missing) finds records of someone whose postcode is missing or mistyped.
#: With the "nickname form with one edit" first-name level it raised persons recall from
#: 0.9562 to 0.9633 on 55,000 records and from 0.9434 to 0.9514 on 1,000,000.
DEFAULT_BLOCKING_RULES: Final[tuple[str, ...]] = (
    "l.nino = r.nino",
    "l.date_of_birth = r.date_of_birth and l.surname = r.surname",
    "l.date_of_birth = r.date_of_birth and l.first_name_canonical = r.first_name_canonical",
    f"{_NAMES} and l.postcode_outward = r.postcode_outward",
    f"{_NAMES} and substr(l.date_of_birth, 1, 7) = substr(r.date_of_birth, 1, 7)",
    f"{_NAMES} and substr(l.date_of_birth, 6, 5) = substr(r.date_of_birth, 6, 5)",
    "l.address_key = r.address_key and l.first_name_canonical = r.first_name_canonical",
    "l.date_of_birth = r.date_of_birth and l.postcode = r.postcode",
    "l.first_name = r.surname and l.surname = r.first_name "
    "and l.postcode_outward = r.postcode_outward",
    "l.email = r.email",
    "l.phone = r.phone",
    "l.surname = r.surname and l.postcode = r.postcode "
    "and (substr(l.first_name, 1, 1) = substr(r.first_name, 1, 1) "
    "or l.first_name_canonical = r.first_name_canonical "
    "or l.first_name is null or r.first_name is null)",
    "l.first_name = r.surname and l.date_of_birth = r.date_of_birth",
    "l.dwelling = r.dwelling and l.first_name_canonical = r.first_name_canonical "
    "and (l.postcode_sector = r.postcode_sector or l.postcode is null or r.postcode is null)",
    "l.address_key = r.address_key and l.surname = r.surname",
)

#: Kept for callers of earlier versions: the default rules now scale to millions of records.
LARGE_INPUT_BLOCKING_RULES: Final[tuple[str, ...]] = DEFAULT_BLOCKING_RULES

#: Blocking rules used to train m by expectation maximisation (one session each).
DEFAULT_TRAINING_RULES: Final[tuple[str, ...]] = (
    "l.date_of_birth = r.date_of_birth",
    "l.first_name_canonical = r.first_name_canonical and l.surname = r.surname",
)

#: Rules that almost only find true matches: used to estimate the prior match probability.
#:
#: They must hold on any data, not only on British data: the second rule compares the
#: postcode as written and the dwelling, not ``address_key`` (which needs a UK postcode).
#: With ``address_key`` neither rule held on FEBRL4 (Australian postcodes, no National
#: Insurance numbers), Splink set the prior to 0 and EM stopped on ``log2(0)``: "math domain
#: error". For a UK postcode the two forms are the same rule.
DETERMINISTIC_RULES: Final[tuple[str, ...]] = (
    "l.nino = r.nino and l.date_of_birth = r.date_of_birth",
    "l.first_name = r.first_name and l.surname = r.surname "
    "and l.date_of_birth = r.date_of_birth and l.postcode = r.postcode "
    "and l.dwelling = r.dwelling",
)


class BlockingTooCostly(RuntimeError):
    """The blocking rules would generate more candidate pairs than allowed."""


class ModelFileError(ValueError):
    """A saved model cannot be used (unknown format, newer version, damaged)."""


class TrainingFailed(RuntimeError):
    """The model cannot be trained on these records; the message says why, in plain words and
    without personal data. Callers fall back to a saved or the built-in model."""


@dataclass(frozen=True, slots=True)
class LinkageParameters:
    """Everything that decides a linkage run; saved with the model."""

    match_threshold: float = 0.7
    """Pairs at or above this match probability are joined into one person (0.9 until the
    second pass and the learned name forms of issue 15: 0.7 then gave persons F1 0.9797
    against 0.9772 on 55,000 generated records, precision 0.9886 against 0.9903)."""
    keep_threshold: float = 0.05
    """Scored pairs below this probability are not kept at all."""
    blocking_rules: tuple[str, ...] = DEFAULT_BLOCKING_RULES
    training_rules: tuple[str, ...] = DEFAULT_TRAINING_RULES
    max_pairs_per_record: float = 200.0
    """Run refused when candidate pairs exceed this many per input record..."""
    min_pair_budget: int = 1_000_000
    """...unless they are under this absolute budget."""
    u_max_pairs: float = 2e6
    em_max_pairs: float | None = 2e6
    prior_recall: float = 0.6
    seed: int = 7
    personal_evidence_rule: bool = True
    learn_name_forms: bool = True
    """Learn first-name forms from records sharing a NINO and a date of birth (``name_forms``)."""
    attach_unambiguous: bool = True
    """Second pass: a record left alone for want of personal evidence joins the one cluster
    its pairs point to, when there is only one and one of those pairs scored at least
    ``match_threshold`` before the veto (``clustering.attach_unambiguous``)."""
    rare_first_name: int = 10
    """Two records vetoed because their first names differ are kept in separate clusters
    (a cannot-link) unless one of the names is carried by fewer than this many records (a
    typo on a nickname, a form no table holds: too weak a sign of two people). 0: always.
    Measured persons F1 with 5 / 10 / 20 / 40: 0.9797 / 0.9802 / 0.9803 / 0.9802 on 55,000
    generated records, 0.9799 / 0.9802 / 0.9805 / 0.9804 on 200,000; but on 4,000 records
    20 lowered precision from 0.984 to 0.977 (a name 20 records carry is not rare there)."""
    nino_rule: bool = False
    """Off by default: keying errors in identifiers are common (FEBRL4 recall 0.93 with it
    on, 0.99 off) and the NINO comparison already weighs a disagreement heavily."""


@dataclass(frozen=True, slots=True)
class BlockingRuleCost:
    rule: str
    marginal_pairs: int
    cumulative_pairs: int


@dataclass(frozen=True, slots=True)
class LinkResult:
    """Result of :meth:`PersonLinker.link`, aligned with the input records' index."""

    cluster_ids: pd.Series
    person_ids: pd.Series
    pairs: pd.DataFrame
    blocking: tuple[BlockingRuleCost, ...]
    record_keys: pd.Index
    stats: dict[str, float] = field(default_factory=dict)

    def ids_by_record_key(self) -> pd.Series:
        """Person ids indexed by ``source_dataset/record_id``: the ``previous`` of a re-run."""
        return pd.Series(self.person_ids.to_numpy(), index=self.record_keys, name="person_id")


Progress = Callable[[str], None]

#: Where Splink runs: DuckDB in this process, or Spark (a local session or a cluster).
Backend = Literal["duckdb", "spark"]
BACKENDS: Final[tuple[str, ...]] = ("duckdb", "spark")


def no_progress(_stage: str) -> None:
    return None
