from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from types import ModuleType

import pandas as pd

from changemaker.insight.engine import households, linkage, schema, standardise, synthetic
from changemaker.insight.engine.schema import PERIOD_FIELDS, PERSON_FIELDS
from changemaker.insight.engine.standardise import standardise_frame, standardise_postcode
from changemaker.insight.engine.synthetic import generate, write_service_csvs
from changemaker.insight.engine.synthetic.people import (
    SyntheticConfig,
    name_variants,
    outward_code,
)
from changemaker.insight.engine.synthetic.records import TRUE_HOUSEHOLD, TRUE_PERSON


def _small() -> pd.DataFrame:
    return generate(SyntheticConfig(n_people=600, seed=11))


def test_same_seed_same_data_and_other_seed_other_data() -> None:
    a = _small()
    assert a.equals(_small())
    assert not a.equals(generate(SyntheticConfig(n_people=600, seed=12)))


def test_schema_and_labels() -> None:
    frame = _small()
    assert list(frame.columns) == [*PERSON_FIELDS, *PERIOD_FIELDS, TRUE_PERSON, TRUE_HOUSEHOLD]
    assert frame[TRUE_PERSON].nunique() >= 600
    assert not frame[[TRUE_PERSON, TRUE_HOUSEHOLD, "record_id"]].isna().any().any()
    assert not frame.duplicated(["source_dataset", "record_id"]).any()


def test_each_person_is_in_one_to_six_services() -> None:
    services = _small().groupby(TRUE_PERSON)["source_dataset"].nunique()
    assert services.min() >= 1
    assert services.max() <= 6
    assert (services >= 3).any()


def test_the_hard_cases_are_present() -> None:
    frame = _small()
    std = standardise_frame(frame)
    by_person = std.assign(person=frame[TRUE_PERSON], household=frame[TRUE_HOUSEHOLD])
    # nicknames: some person appears under two forms of one name
    firsts = by_person.dropna(subset=["first_name"]).groupby("person")["first_name"]
    assert any(any(b in name_variants(a) for a in set(v) for b in set(v)) for _, v in firsts)
    # moves: some person is in two households
    assert (by_person.groupby("person")["household"].nunique() > 1).any()
    # surname changes (or typos): some person has two surnames
    assert (by_person.groupby("person")["surname"].nunique() > 1).any()
    # twins: two people with the same date of birth and household
    people = by_person.dropna(subset=["date_of_birth"]).drop_duplicates("person")
    assert people.duplicated(["household", "date_of_birth"]).any()
    # missing values and messy formats
    assert frame["date_of_birth"].isna().any()
    assert frame["date_of_birth"].str.contains("/", na=False).any()
    assert frame["date_of_birth"].str.contains("-", na=False).any()
    assert (~frame["postcode"].str.contains(" ", na=True)).any()


def test_write_service_csvs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    frame = _small()
    paths = write_service_csvs(frame, tmp_path)
    assert len(paths) == frame["source_dataset"].nunique()
    back = pd.concat([pd.read_csv(p, dtype=str) for p in paths])
    assert list(back.columns) == [*PERSON_FIELDS, *PERIOD_FIELDS]
    assert len(back) == len(frame)


def test_outward_codes_stay_valid_for_large_populations() -> None:
    # 361,000 people need about 480 districts: each must be a valid UK outward code
    codes = [outward_code(d) for d in range(1, 991)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        postcode = standardise_postcode(f"{code} 1AB")
        assert postcode is not None
        assert postcode.outward == code
    assert codes[:2] == ["XM1", "XM2"]
    assert codes[99] == "XN1"


def test_the_generator_shares_no_table_with_the_linker() -> None:
    """Finding 5 of issue 15: test data built from the linker's own nickname table only tests
    names the linker already knows. The generator (every module of its package) may import
    the person schema (column names) and its own modules, nothing else of the engine."""
    generator = _package(synthetic)
    assert len(generator) > 1
    imported = set()
    for module in generator:
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    ours = {
        m
        for m in imported
        if m.startswith("changemaker") and not m.startswith(f"{synthetic.__name__}.")
    }
    assert ours == {"changemaker.insight.engine.schema"}
    # nor does it hold one of the linker's tables under another name (the schema's column
    # names, which both import, are not lookup tables)
    tables = (dict, tuple, list, frozenset, set)
    schema_objects = {id(value) for value in vars(schema).values()}
    linker_objects = {
        id(value)
        for module in (standardise, *_package(linkage), households)
        for name, value in vars(module).items()
        if not name.startswith("__") and isinstance(value, tables)
    } - schema_objects
    shared = [
        name
        for module in generator
        for name, value in vars(module).items()
        if isinstance(value, tables) and id(value) in linker_objects
    ]
    assert shared == []
    # and its name variants include forms the linker's table does not know
    unknown = [
        form
        for name in ("william", "margaret", "elizabeth", "robert")
        for form in name_variants(name)
        if standardise.canonical_first_name(form) != standardise.canonical_first_name(name)
    ]
    assert unknown


def _package(package: ModuleType) -> list[ModuleType]:
    """A package and each of its modules."""
    return [
        package,
        *(
            importlib.import_module(f"{package.__name__}.{info.name}")
            for info in pkgutil.iter_modules(package.__path__)
        ),
    ]


def test_streets_can_be_put_in_given_districts() -> None:
    """A demo council's people live in its wards' postal districts (issue 20: "Need by ward"
    was zero everywhere): each street in one of the given districts, in turn."""
    frame = generate(SyntheticConfig(n_people=300, seed=5, outward_codes=("EX1", "EX9")))
    outward = {
        p.outward
        for p in (standardise_postcode(v) for v in frame["postcode"].dropna())
        if p is not None and p.outward is not None
    }
    assert outward == {"EX1", "EX9"}
    # without them, the fictional X districts, as before
    assert {
        p.outward[:2]
        for p in (standardise_postcode(v) for v in generate(SyntheticConfig(300, 5))["postcode"])
        if p is not None and p.outward is not None
    } == {"XM"}
