"""A seeded, labelled generator of UK-like service records for measuring linkage accuracy.

Every generated record carries the truth: ``true_person_id`` and ``true_household_id`` (the
household the person lived in when the service recorded them). The generator reproduces what
makes linking council data hard:

* households: couples, families, single parents, shared houses, flats in one building;
* twins (same surname, date of birth and address, different first names);
* nicknames used by some services (Bill / William), typos, first name and surname swapped;
* moves: some records carry an earlier address (a family's old home, or a young adult's
  parents' home, where their household was their parents'); half of the homes a family
  leaves are taken by another family, who moved in after them;
* periods: some services record when the person lived at the address (``address_from``,
  ``address_to``: the moving-in and moving-out days; empty when not recorded);
* surname changes: records from before a marriage carry the maiden name;
* missing values, parents' phone numbers and e-mails on children's records;
* each person in 1-6 services, several date formats, case, spacing and abbreviations;
* addresses written the many ways services write them: "Flat 2, 10 High St", "10 High Street
  Flat 2", "2/10 High St", "Rd" or "Road", with or without commas and the town, house names
  written or left out, a typo in the street, the flat number left off, postcode spacing and case.
  These variants come from this package's own tables, never from the matcher's
  (:mod:`~changemaker.insight.engine.addresses`), so that measuring one with the other is fair.

:func:`generate_with_gazetteer` also returns the council's gazetteer of every address (used or
not), with UPRNs, as a data officer would import it.

Nothing here is real: names are common UK names and postcodes use fictional ``X`` areas.

The generator is test data for the linker, so it shares no lookup table with it (an
architecture test checks its imports): the other forms of a first name come from the
``nicknames`` package (a hand-curated list of English names and nicknames, Apache-2.0), and the
ways a street type is abbreviated from :data:`.tables.STREET_TYPES`, written there from
everyday British usage (Royal Mail's addressing guidance and what service systems hold), not
from the linker's list. Some variants are therefore ones the linker does not know: the
accuracy tests measure that honestly. Both tables are data: add a street type or an
abbreviation there.

One module a concern: :mod:`.tables` (names, streets, services: data), :mod:`.people` (the
knobs, an address and a person, name forms and fictional postcodes), :mod:`.population` (the
area's addresses and its households) and :mod:`.records` (the services' records, written
messily, and the gazetteer). The names below are this package's public interface.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from changemaker.insight.engine.schema import PERIOD_FIELDS, PERSON_FIELDS
from changemaker.insight.engine.synthetic.people import (
    REFERENCE_DATE,
    SyntheticConfig,
    name_variants,
    outward_code,
)
from changemaker.insight.engine.synthetic.population import UPRN_START, Population
from changemaker.insight.engine.synthetic.records import TRUE_HOUSEHOLD, TRUE_PERSON, RecordWriter
from changemaker.insight.engine.synthetic.tables import STREET_TYPES

__all__ = [
    "REFERENCE_DATE",
    "STREET_TYPES",
    "TRUE_HOUSEHOLD",
    "TRUE_PERSON",
    "UPRN_START",
    "SyntheticConfig",
    "generate",
    "generate_with_gazetteer",
    "name_variants",
    "outward_code",
    "write_service_csvs",
]


def generate(config: SyntheticConfig | None = None) -> pd.DataFrame:
    """Generate labelled records: the person schema plus ``true_person_id``/``true_household_id``.

    The same config (seed included) always gives the same frame.
    """
    population = Population(config or SyntheticConfig())
    population.build()
    return RecordWriter(population).records()


def generate_with_gazetteer(
    config: SyntheticConfig | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``generate(config)`` and the council's gazetteer (``uprn, sao, pao, street, town,
    postcode``: every address of the generated area, lived in or not)."""
    population = Population(config or SyntheticConfig())
    population.build()
    writer = RecordWriter(population)
    return writer.records(), writer.gazetteer_frame()


def write_service_csvs(frame: pd.DataFrame, directory: Path) -> list[Path]:
    """Write one CSV per ``source_dataset`` in the person schema (labels left out)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for service, part in frame.groupby("source_dataset", sort=True):
        path = directory / f"{service}.csv"
        columns = [c for c in (*PERSON_FIELDS, *PERIOD_FIELDS) if c in part.columns]
        part[columns].to_csv(path, index=False)
        paths.append(path)
    return paths
