"""The FEBRL benchmark data (``data/febrl``, see its README) in the person schema.

Used by the tests and by ``bench/insight.py``. FEBRL's social security number is the data set's
personal identifier: :func:`standardised` puts it in the ``nino`` column after
standardisation (as a council would map its own identifier); the importers, which only accept
National Insurance numbers, treat it as missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pandas as pd

from changemaker.insight.engine.standardise import standardise_frame

DATA: Final = Path(__file__).parent / "data" / "febrl"
FEBRL3: Final = ("dataset3",)
FEBRL4: Final = ("dataset4a", "dataset4b")


def read(name: str) -> pd.DataFrame:
    """One FEBRL file as strings (``""`` for a missing value), with FEBRL's column names."""
    frame = pd.read_csv(
        DATA / f"{name}.csv.gz", dtype=str, skipinitialspace=True, keep_default_na=False
    )
    frame.columns = [c.strip() for c in frame.columns]
    return frame


def person_schema(names: tuple[str, ...]) -> tuple[pd.DataFrame, pd.Series]:
    """The files as raw person-schema records (one ``source_dataset`` per file, dates of birth
    written ``YYYY-MM-DD`` as FEBRL has them, impossible ones included) and the true identity
    of each record."""
    parts = [read(name).assign(source_dataset=name) for name in names]
    f = pd.concat(parts, ignore_index=True)
    dob = f["date_of_birth"]
    iso = dob.str[:4] + "-" + dob.str[4:6] + "-" + dob.str[6:8]
    address = (f["street_number"] + " " + f["address_1"] + " " + f["address_2"]).str.strip()
    records = pd.DataFrame(
        {
            "source_dataset": f["source_dataset"],
            "record_id": f["rec_id"],
            "first_name": f["given_name"],
            "surname": f["surname"],
            "date_of_birth": iso.where(dob.str.len() == 8, ""),
            "postcode": f["postcode"],
            "address_line": address,
            "nino": f["soc_sec_id"],
            "email": "",
            "phone": "",
        }
    ).replace({"": None})
    truth = f["rec_id"].str.split("-").str[1].rename("true_id")
    return records.astype("object"), truth


def standardised(names: tuple[str, ...]) -> tuple[pd.DataFrame, pd.Series]:
    """Standardised records (impossible dates of birth missing) with the social security
    number as the identifier, and the truth."""
    records, truth = person_schema(names)
    parsed = pd.to_datetime(records["date_of_birth"], format="%Y-%m-%d", errors="coerce")
    records["date_of_birth"] = records["date_of_birth"].where(parsed.notna(), None)
    ssn = records["nino"]
    standard = standardise_frame(records)
    standard["nino"] = ssn.str.replace(r"\D", "", regex=True).replace({"": None})
    return standard, truth


def write_csvs(names: tuple[str, ...], directory: Path) -> list[Path]:
    """The files as person-schema CSVs, one per file, as a service would export them."""
    records, _truth = person_schema(names)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = directory / f"{name}.csv"
        records[records["source_dataset"] == name].to_csv(path, index=False)
        paths.append(path)
    return paths
