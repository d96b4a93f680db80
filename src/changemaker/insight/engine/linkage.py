"""Probabilistic record linkage of standardised person records, on Splink 5 + DuckDB.

::

    linker = PersonLinker(LinkageParameters(match_threshold=0.9))
    linker.fit(records)                 # u by random sampling, m by EM (labels never used)
    result = linker.link(records)       # blocking cost checked, predict, cluster, person ids
    linker.save(Path("model.json"))     # versioned JSON, reused by scheduled runs
    PersonLinker.load(Path("model.json")).link(next_month, previous=result.ids_by_record_key())

``records`` is the output of :func:`changemaker.insight.engine.standardise.standardise_frame`.

The model (Fellegi-Sunter, as Splink builds it) compares first name (exact with term-frequency
adjustment, swapped with surname, nickname form, Jaro-Winkler, one edit, nickname form with
one edit, one name in the other field), surname (exact with term-frequency adjustment,
Jaro-Winkler), date of birth (exact, day and month transposed, one or two characters), NINO
(exact, one edit) and *one* comparison for
where a person lives and how to reach them (same dwelling with a shared phone or e-mail, same
dwelling, shared phone or e-mail, same house in the district, same postcode, sector, district):
postcode, address line, phone and e-mail are all shared by a household, so scoring them
separately would count one household several times and merge its members.

Two rules are applied on top of the scores, because Fellegi-Sunter's independence assumption
fails for members of one household, who share surname, address, phone and often an e-mail:

* *personal evidence rule*: two records are only linked if something personal agrees: the
  first names (at any level but "different"), or, when a first name is missing, the dates of
  birth, or the NINO. Twins (same date of birth, different first names) and a parent and
  child sharing a phone and e-mail are therefore never merged; neither are two records whose
  dates of birth differ beyond a typo (unless their NINOs agree);
* *NINO rule* (optional, off by default): two records whose NINOs are both present and differ
  by more than one character (a transposition counts as one) are never linked.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from importlib.resources import files
from pathlib import Path
from typing import Any, Final, Literal

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.blocking_analysis import count_comparisons_from_blocking_rules
from splink.internals.database_api import DatabaseAPI

logger = logging.getLogger(__name__)

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

    match_threshold: float = 0.9
    """Pairs at or above this match probability are joined into one person."""
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


def _no_progress(_stage: str) -> None:
    return None


def comparisons(dialect: str = "duckdb") -> list[cl.CustomComparison]:
    """The comparisons of the model (see the module docstring), in ``dialect``'s SQL."""
    jaro_winkler = "jaro_winkler" if dialect == "spark" else "jaro_winkler_similarity"
    swapped = "first_name_l = surname_r and surname_l = first_name_r"
    fuzzy_swapped = (
        f"{jaro_winkler}(first_name_l, surname_r) >= 0.88 "
        f"and {jaro_winkler}(surname_l, first_name_r) >= 0.88"
    )
    # a nickname or a full name with a typo ("olly"/"olvier", "hrold"/"harry")
    nickname_typo = "damerau_levenshtein(first_name_canonical_l, first_name_canonical_r) <= 1"
    half_swapped = "(first_name_l = surname_r or surname_l = first_name_r)"
    dob_swapped = (
        "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
        "and substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) "
        "and substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)"
    )
    same_dwelling = "address_key_l = address_key_r"
    shared_contact = "(email_l = email_r or phone_l = phone_r)"
    same_house_in_district = "dwelling_l = dwelling_r and postcode_outward_l = postcode_outward_r"
    same_house_no_postcode = (
        "dwelling_l = dwelling_r and (postcode_outward_l is null or postcode_outward_r is null)"
    )
    nothing_to_compare = (
        "(postcode_l is null or postcode_r is null) "
        "and (address_line_l is null or address_line_r is null) "
        "and (email_l is null or email_r is null) and (phone_l is null or phone_r is null)"
    )
    return [
        cl.CustomComparison(
            [
                cll.NullLevel("first_name"),
                cll.ExactMatchLevel("first_name").configure(tf_adjustment_column="first_name"),
                cll.CustomLevel(swapped, label_for_charts="Swapped with surname"),
                cll.CustomLevel(fuzzy_swapped, label_for_charts="Swapped, with a typo"),
                cll.ExactMatchLevel("first_name_canonical").configure(
                    label_for_charts="Same name (nickname form)"
                ),
                cll.JaroWinklerLevel("first_name", 0.92),
                cll.DamerauLevenshteinLevel("first_name", 1),
                cll.CustomLevel(nickname_typo, label_for_charts="Nickname form, with a typo"),
                cll.JaroWinklerLevel("first_name", 0.8),
                cll.CustomLevel(half_swapped, label_for_charts="One name in the other field"),
                cll.ElseLevel(),
            ],
            output_column_name="first_name",
        ),
        cl.CustomComparison(
            [
                cll.NullLevel("surname"),
                cll.ExactMatchLevel("surname").configure(tf_adjustment_column="surname"),
                # counted once, in the first-name comparison: neutral here
                cll.CustomLevel(swapped, label_for_charts="Swapped with first name").configure(
                    m_probability=0.5,
                    u_probability=0.5,
                    fix_m_probability=True,
                    fix_u_probability=True,
                ),
                cll.JaroWinklerLevel("surname", 0.92),
                cll.JaroWinklerLevel("surname", 0.8),
                cll.ElseLevel(),
            ],
            output_column_name="surname",
        ),
        cl.CustomComparison(
            [
                cll.NullLevel("date_of_birth"),
                cll.ExactMatchLevel("date_of_birth"),
                cll.CustomLevel(dob_swapped, label_for_charts="Day and month transposed"),
                cll.LevenshteinLevel("date_of_birth", 1),
                cll.LevenshteinLevel("date_of_birth", 2),
                cll.ElseLevel(),
            ],
            output_column_name="date_of_birth",
        ),
        # One comparison for where someone lives and how to reach them: household members
        # share all of these, so they are evidence of one household, counted once.
        cl.CustomComparison(
            [
                cll.CustomLevel(nothing_to_compare).configure(is_null_level=True),
                cll.CustomLevel(
                    f"{same_dwelling} and {shared_contact}",
                    label_for_charts="Same dwelling and shared phone or e-mail",
                ),
                cll.CustomLevel(same_dwelling, label_for_charts="Same dwelling"),
                cll.CustomLevel(shared_contact, label_for_charts="Shared phone or e-mail"),
                cll.CustomLevel(same_house_in_district, label_for_charts="Same house, district"),
                cll.CustomLevel(same_house_no_postcode, label_for_charts="Same house, no postcode"),
                cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
                cll.ExactMatchLevel("postcode_sector"),
                cll.ExactMatchLevel("postcode_outward"),
                cll.ElseLevel(),
            ],
            output_column_name="address",
        ),
        cl.CustomComparison(
            [
                cll.NullLevel("nino"),
                cll.ExactMatchLevel("nino"),
                cll.DamerauLevenshteinLevel("nino", 1),
                cll.ElseLevel(),
            ],
            output_column_name="nino",
        ),
    ]


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
        model = self._require_model()
        params = asdict(self.parameters)
        return {
            "format": MODEL_FORMAT,
            "version": MODEL_VERSION,
            "splink_version": splink.__version__,
            "parameters": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()},
            "splink_model": model,
        }

    def save(self, path: Path) -> None:
        """Write the model as JSON (atomically: a half-written model is never left behind)."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> PersonLinker:
        if document.get("format") != MODEL_FORMAT:
            raise ModelFileError("not a Changemaker linkage model")
        version = document.get("version")
        if not isinstance(version, int) or version > MODEL_VERSION:
            raise ModelFileError(f"model version {version!r} is newer than this software")
        raw = document.get("parameters")
        model = document.get("splink_model")
        if not isinstance(raw, dict) or not isinstance(model, dict):
            raise ModelFileError("model file is missing its parameters or Splink model")
        known = set(LinkageParameters.__dataclass_fields__)
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in known
        }
        try:
            parameters = LinkageParameters(**values)
        except TypeError as exc:
            raise ModelFileError(f"bad parameters in model file: {exc}") from None
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
        (``synthetic.generate(SyntheticConfig(n_people=5000, seed=0))``).

        For inputs too small to train on; a council should train on its own data.
        """
        resource = files("changemaker.insight.engine").joinpath(BUILTIN_MODEL)
        return cls.from_json(json.loads(resource.read_text(encoding="utf-8")))

    @classmethod
    def load(cls, path: Path) -> PersonLinker:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"cannot read model {path.name}: {exc}") from None
        if not isinstance(document, dict):
            raise ModelFileError("model file is not a JSON object")
        return cls.from_json(document)

    # -------------------------------------------------------------------- training
    def fit(self, records: pd.DataFrame, progress: Progress = _no_progress) -> PersonLinker:
        """Estimate the model from the records: prior from deterministic rules, u by random
        sampling, m by expectation maximisation over ``training_rules``.

        Raises :class:`TrainingFailed` (the linker stays as it was) when the records cannot
        be trained on: no pair of records agrees on the deterministic rules, or Splink fails.
        """
        stage = "preparing the training"

        def track(message: str) -> None:
            nonlocal stage
            stage = message
            progress(message)

        try:
            return self._fit(records, track)
        except TrainingFailed:
            raise
        except Exception as exc:  # Splink raises ValueError, SplinkException, DuckDB errors...
            logger.warning("linkage training failed while %s: %s", stage, type(exc).__name__)
            raise TrainingFailed(
                # the type only: a database error's text may quote a record's values
                f"the linkage model could not be trained on these records (while {stage}: "
                f"{type(exc).__name__})"
            ) from exc

    def _fit(self, records: pd.DataFrame, progress: Progress) -> PersonLinker:
        params = self.parameters
        _db_api, table = self._register(records)
        settings = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name=UNIQUE_ID,
            comparisons=list(comparisons(self.backend)),
            blocking_rules_to_generate_predictions=list(self._blocking_dicts()),
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
        linker.training.estimate_u_using_random_sampling(
            max_pairs=params.u_max_pairs, seed=params.seed
        )
        # EM pair sampling probes 1% of records: only worth it on large inputs.
        em_max_pairs = params.em_max_pairs if len(records) > 200_000 else None
        for rule in params.training_rules:
            progress("estimating m by expectation maximisation")
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=em_max_pairs
            )
        model = linker.misc.save_model_to_json()
        # the model is saved in DuckDB's SQL whichever backend trained it
        self._model = _model_in_dialect(model, "duckdb") if self.backend == "spark" else model
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
            blocking_rules_to_generate_predictions=list(self._blocking_dicts()),
            retain_matching_columns=True,  # gamma columns, for the two rules
        )
        if self.backend == "spark":
            model = _model_in_dialect(model, "spark")
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
            ]
        )
        query = f"select {wanted} from {scored.physical_name}"  # noqa: S608 (our own names)
        frame = _fetch(db_api, query)
        scored.drop_table_from_database_and_remove_from_cache()
        return self._apply_rules(frame, model)

    def cluster(self, n_records: int, pairs: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Cluster pairs at or above ``match_threshold``, strongest links first, never joining
        two clusters that hold a cannot-link pair (see :func:`constrained_clusters`)."""
        linked = pairs[pairs["match_probability"] >= self.parameters.match_threshold]
        vetoed = pairs[pairs["cannot_link"]] if "cannot_link" in pairs else pairs.iloc[:0]
        return constrained_clusters(
            n_records,
            linked["left"].to_numpy(dtype=np.int64),
            linked["right"].to_numpy(dtype=np.int64),
            linked["match_weight"].to_numpy(dtype=np.float64),
            vetoed["left"].to_numpy(dtype=np.int64),
            vetoed["right"].to_numpy(dtype=np.int64),
        )

    def link(
        self,
        records: pd.DataFrame,
        *,
        previous: pd.Series | None = None,
        progress: Progress = _no_progress,
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
        table = _model_table(records)
        db_api: DatabaseAPI[Any]
        if self.backend == "spark":
            from splink import SparkAPI

            session: Any = self._spark
            has_checkpoints = session.sparkContext.getCheckpointDir() is not None
            db_api = SparkAPI(  # type: ignore[no-untyped-call]
                spark_session=session,
                break_lineage_method="parquet" if has_checkpoints else "persist",
            )
            splink_table = db_api.register(table.to_pandas())
        else:
            db_api = DuckDBAPI(_duckdb_connection(self._duckdb_memory_limit))
            splink_table = db_api.register(table)
        if keep:
            self._registered = (records, db_api, splink_table)
        return db_api, splink_table

    def _blocking_dicts(self) -> Iterable[dict[str, str]]:
        for rule in self.parameters.blocking_rules:
            yield {"blocking_rule": rule, "sql_dialect": "duckdb"}

    def _apply_rules(self, frame: pd.DataFrame, model: dict[str, Any]) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                "left": frame[f"{UNIQUE_ID}_l"].to_numpy(dtype=np.int64),
                "right": frame[f"{UNIQUE_ID}_r"].to_numpy(dtype=np.int64),
                "match_weight": frame["match_weight"].to_numpy(dtype=np.float64),
                "match_probability": frame["match_probability"].to_numpy(dtype=np.float64),
            }
        )
        top = _top_gammas(model)
        first = frame["gamma_first_name"].to_numpy()
        dob = frame["gamma_date_of_birth"].to_numpy()
        nino = frame["gamma_nino"].to_numpy()
        veto = np.zeros(len(out), dtype=bool)
        if self.parameters.personal_evidence_rule:
            nino_agrees = nino >= top["nino"] - 1
            personal = (first > 0) | ((first == -1) & (dob > 0)) | nino_agrees
            veto |= ~personal
            veto |= (dob == 0) & ~nino_agrees  # dates of birth differ beyond a typo
        if self.parameters.nino_rule:
            veto |= nino == 0
        out.loc[veto, "match_probability"] = 0.0
        out["vetoed"] = veto
        # a veto for *disagreement* (not mere lack of evidence) also keeps the two records'
        # clusters apart
        disagree = (first == 0) | (dob == 0)
        if self.parameters.nino_rule:
            disagree |= nino == 0
        out["cannot_link"] = veto & disagree
        # DuckDB returns rows in any order: sort so that clustering (which breaks ties in
        # weight by position) gives the same persons on every run
        return out.sort_values(["left", "right"], kind="stable").reset_index(drop=True)


def constrained_clusters(
    n_records: int,
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
    weight: np.ndarray[Any, np.dtype[np.float64]],
    cannot_left: np.ndarray[Any, np.dtype[np.int64]],
    cannot_right: np.ndarray[Any, np.dtype[np.int64]],
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Connected components of the links, except that two clusters are not joined when a
    *cannot-link* pair (a vetoed pair) would end up inside one cluster.

    Links are taken strongest first, so a record that matches two twins equally well joins
    one of them and the twins stay apart, where plain connected components would chain the
    twins together. Returns labels ``0..k-1`` in order of first appearance.
    """
    n_components, component = connected_components(
        coo_matrix(
            (np.ones(len(left), dtype=np.int8), (left, right)), shape=(n_records, n_records)
        ),
        directed=False,
    )
    component = component.astype(np.int64)
    # Only a component holding a cannot-link pair needs the constrained (Python) algorithm;
    # in every other one it would join all the records anyway.
    inside = component[cannot_left] == component[cannot_right]
    conflicted = np.zeros(n_components, dtype=bool)
    conflicted[component[cannot_left[inside]]] = True
    label = n_records + component  # a component's label, distinct from any record position
    if conflicted.any():
        edges = conflicted[component[left]]
        roots = _constrained_roots(
            n_records,
            left[edges],
            right[edges],
            weight[edges],
            cannot_left[inside],
            cannot_right[inside],
        )
        in_conflict = conflicted[component]
        label[in_conflict] = roots[in_conflict]
    return np.asarray(pd.factorize(label)[0], dtype=np.int64)


def _constrained_roots(
    n_records: int,
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
    weight: np.ndarray[Any, np.dtype[np.float64]],
    cannot_left: np.ndarray[Any, np.dtype[np.int64]],
    cannot_right: np.ndarray[Any, np.dtype[np.int64]],
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Union-find over the links, strongest first, refusing a union that would put a
    cannot-link pair in one cluster. Returns each record's root."""
    parent = np.arange(n_records, dtype=np.int64)
    members: dict[int, list[int]] = {}
    banned: dict[int, set[int]] = {}
    for a, b in zip(cannot_left.tolist(), cannot_right.tolist(), strict=True):
        banned.setdefault(a, set()).add(b)
        banned.setdefault(b, set()).add(a)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:
            parent[x], x = root, int(parent[x])
        return root

    order = np.argsort(-weight, kind="stable")
    for i in order.tolist():
        ra, rb = find(int(left[i])), find(int(right[i]))
        if ra == rb:
            continue
        group_a = members.get(ra, [ra])
        group_b = members.get(rb, [rb])
        if len(group_a) < len(group_b):
            ra, rb, group_a, group_b = rb, ra, group_b, group_a
        banned_a = banned.get(ra)
        if banned_a is not None and any(m in banned_a for m in group_b):
            continue
        parent[rb] = ra
        group_a.extend(group_b)
        members[ra] = group_a
        members.pop(rb, None)
        banned_b = banned.pop(rb, None)
        if banned_b:
            banned.setdefault(ra, set()).update(banned_b)
    touched = np.unique(np.concatenate([left, right]))
    for x in touched.tolist():
        find(x)
    return parent


def _top_gammas(model: dict[str, Any]) -> dict[str, int]:
    tops: dict[str, int] = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        tops[comparison["output_column_name"]] = len(levels) - 1
    return tops


def _model_table(records: pd.DataFrame) -> pa.Table:
    """``unique_id`` (the position) and the model columns as strings, in Arrow."""
    missing = [c for c in MODEL_COLUMNS if c not in records.columns]
    if missing:
        raise ValueError(f"records are not standardised: missing {', '.join(missing)}")
    arrays = [pa.array(np.arange(len(records), dtype=np.int64))]
    for column in MODEL_COLUMNS:
        values = records[column]
        if values.dtype == object:
            values = values.where(values.notna(), None)
        arrays.append(pa.array(values, type=pa.string(), from_pandas=True))
    return pa.Table.from_arrays(arrays, names=[UNIQUE_ID, *MODEL_COLUMNS])


def _duckdb_connection(memory_limit: str | None) -> duckdb.DuckDBPyConnection:
    config: dict[str, Any] = {"preserve_insertion_order": False}
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    return duckdb.connect(config=config)


def _fetch(db_api: DatabaseAPI[Any], query: str) -> pd.DataFrame:
    """Run a query on the backend and return the result as pandas."""
    if isinstance(db_api, DuckDBAPI):
        return db_api.duckdb_con.execute(query).df()
    spark = db_api.spark  # type: ignore[attr-defined]
    return spark.sql(query).toPandas()


#: DuckDB's SQL -> Spark's, for the model's conditions: quoted identifiers, and the names of
#: the similarity functions (Spark's are the UDFs of the similarity jar shipped with Splink).
_SPARK_SQL: Final[tuple[tuple[str, str], ...]] = (
    ('"', "`"),
    ("jaro_winkler_similarity(", "jaro_winkler("),
)
_SQL_KEYS: Final = frozenset({"sql_condition", "blocking_rule"})


def _model_in_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The Splink model with its SQL conditions in ``dialect`` (``"duckdb"`` or ``"spark"``).

    Models are saved in DuckDB's SQL. The model's conditions hold no string literals, so the
    only differences are how identifiers are quoted and the similarity functions' names.
    """
    pairs = list(_SPARK_SQL) if dialect == "spark" else [(b, a) for a, b in _SPARK_SQL]

    def convert(value: Any, key: str = "") -> Any:
        if isinstance(value, str) and key in _SQL_KEYS:
            for old, new in pairs:
                value = value.replace(old, new)
            return value
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v, k) for k, v in value.items()}
        return value

    converted: dict[str, Any] = convert(model)
    converted["sql_dialect"] = dialect
    return converted


def record_keys(records: pd.DataFrame) -> pd.Index:
    """``source_dataset/record_id`` keys identifying records across runs."""
    keys = records["source_dataset"].astype(str) + "/" + records["record_id"].astype(str)
    return pd.Index(keys, name="record_key")


def assign_person_ids(
    clusters: pd.Series, previous: pd.Series | None, prefix: str = "P"
) -> pd.Series:
    """Give each cluster a stable id (``prefix`` + 8 digits).

    ``clusters`` maps record key -> cluster label; ``previous`` maps record key -> person id
    from an earlier run (or ``None``). Each new cluster takes the old id it shares most
    records with (ties: the smaller id); an old id goes to only one cluster (the one with the
    largest overlap); other clusters get fresh ids: a number higher than any old one.
    """
    frame = pd.DataFrame({"key": clusters.index, "cluster": clusters.to_numpy()})
    chosen: dict[int, str] = {}
    used: set[str] = set()
    next_number = 1
    if previous is not None and len(previous):
        old = pd.Series(previous.to_numpy(), index=previous.index.astype(str))
        frame["old"] = frame["key"].map(old)
        overlap = (
            frame.dropna(subset=["old"])
            .groupby(["cluster", "old"], sort=False)
            .size()
            .reset_index(name="n")
        )
        overlap = overlap.sort_values(["n", "old", "cluster"], ascending=[False, True, True])
        for cluster, old_id, _n in overlap.itertuples(index=False):
            if cluster in chosen or old_id in used:
                continue
            chosen[int(cluster)] = str(old_id)
            used.add(str(old_id))
        numbers = [
            int(v[len(prefix) :])
            for v in old.astype(str)
            if v.startswith(prefix) and v[len(prefix) :].isdigit()
        ]
        next_number = max(numbers, default=0) + 1
    # fresh ids in a deterministic order: by each cluster's smallest record key
    first_key = frame.groupby("cluster", sort=False)["key"].min().sort_values()
    for cluster in first_key.index:
        if int(cluster) not in chosen:
            chosen[int(cluster)] = f"{prefix}{next_number:08d}"
            next_number += 1
    return pd.Series(
        [chosen[int(c)] for c in frame["cluster"]], index=clusters.index, name=f"{prefix}_id"
    )


def with_parameters(linker: PersonLinker, **changes: Any) -> PersonLinker:
    """A copy of a fitted linker with some run parameters changed (e.g. the threshold)."""
    return PersonLinker(
        replace(linker.parameters, **changes),
        model=linker._model,
        backend=linker.backend,
        spark=linker._spark,
        duckdb_memory_limit=linker._duckdb_memory_limit,
    )


__all__: Sequence[str] = (
    "DEFAULT_BLOCKING_RULES",
    "LARGE_INPUT_BLOCKING_RULES",
    "BlockingRuleCost",
    "BlockingTooCostly",
    "LinkResult",
    "LinkageParameters",
    "ModelFileError",
    "PersonLinker",
    "TrainingFailed",
    "assign_person_ids",
    "comparisons",
    "constrained_clusters",
    "record_keys",
    "with_parameters",
)
