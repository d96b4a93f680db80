"""First-name forms learned from the records (issue 15): records sharing a NINO and a date of
birth under two canonical forms teach that the forms are one name, once two people show it."""

from __future__ import annotations

import ast
import inspect

import pandas as pd

from changemaker.insight.engine import households, linkage, standardise
from changemaker.insight.engine.linkage.name_forms import learned_forms, with_learned_forms
from changemaker.insight.engine.standardise import standardise_frame

from .test_synthetic import _package


def _records(rows: list[tuple[str, str, str | None, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["first_name", "surname", "date_of_birth", "nino"]).assign(
        source_dataset="test",
        record_id=[str(i) for i in range(len(rows))],
        postcode=None,
        address_line=None,
        email=None,
        phone=None,
    )
    return standardise_frame(frame)


def test_forms_two_people_show_are_learned() -> None:
    records = _records(
        [
            ("Olivia", "Brown", "1990-01-02", "AB123456C"),
            ("Ollie", "Brown", "1990-01-02", "AB123456C"),
            ("Olivia", "Smith", "1985-03-04", "CE654321A"),
            ("OLLIE", "Smith", "1985-03-04", "CE654321"),  # suffix letter left off: one NINO
            # shown by one person only: not learned
            ("Henry", "Jones", "1970-05-06", "HJ111111A"),
            ("Hank", "Jones", "1970-05-06", "HJ111111A"),
            ("Harry", "Jones", "1970-05-06", "HJ111111A"),
        ]
    )
    forms = learned_forms(records)
    assert forms == {"ollie": "|olivia|", "olivia": "|ollie|"}
    rewritten = with_learned_forms(records)
    assert list(rewritten["first_name_learned"][:4]) == ["|ollie|", "|olivia|"] * 2
    # the linker's own table is untouched: "ollie" is still a form of Oliver there
    assert list(rewritten["first_name_canonical"][:2]) == ["olivia", "oliver"]
    assert list(rewritten["first_name_learned"][4:]) == [None, None, None]
    assert with_learned_forms(records, learn=False)["first_name_learned"].isna().all()


def test_twins_and_different_dates_of_birth_teach_nothing() -> None:
    records = _records(
        [
            # twins: one date of birth, two NINOs
            ("Oliver", "Brown", "2001-01-02", "AB111111A"),
            ("Harry", "Brown", "2001-01-02", "AB222222A"),
            ("Oliver", "Green", "2002-02-03", "AB333333A"),
            ("Harry", "Green", "2002-02-03", "AB444444A"),
            # one NINO, two dates of birth (a keying error): not one person beyond doubt
            ("Grace", "White", "1960-01-01", "CE111111A"),
            ("Ruby", "White", "1961-01-01", "CE111111A"),
            ("Grace", "Black", "1962-01-01", "CE222222A"),
            ("Ruby", "Black", "1963-01-01", "CE222222A"),
            # no NINO
            ("Amy", "Gray", "1990-01-01", None),
            ("Amelia", "Gray", "1990-01-01", None),
        ]
    )
    assert learned_forms(records) == {}
    assert with_learned_forms(records)["first_name_learned"].isna().all()


def test_the_linker_imports_no_name_list_of_the_generator() -> None:
    """The converse of the generator's independence (issue 15): the linker (every engine
    module but the generator's) imports neither the ``nicknames`` package nor the
    generator."""
    modules = [standardise, households, *_package(linkage)]
    for module in modules:
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                assert not name.startswith("nicknames"), module.__name__
                assert ".synthetic" not in name, module.__name__


def test_forms_are_learned_in_pairs_not_groups() -> None:
    """Nicknames are not transitive: "Ella" learned with Isabella and with Eleanor does not
    make Isabella and Eleanor one name; a swapped surname or a two-letter form teaches
    nothing."""
    rows = []
    for n, (a, b) in enumerate([("Ella", "Isabella")] * 2 + [("Ella", "Eleanor")] * 2):
        dob, nino = f"198{n}-05-06", f"HJ11111{n}A"
        rows += [(a, "Jones", dob, nino), (b, "Jones", dob, nino)]
    for n in range(2):
        dob, nino = f"199{n}-01-01", f"CE22222{n}A"
        rows += [("Jones", "Jones", dob, nino), ("Al", "Jones", dob, nino)]
        rows += [("Alan", "Jones", dob, nino)]
    forms = learned_forms(_records(rows))
    assert forms == {"ella": "|eleanor|isabella|", "isabella": "|ella|", "eleanor": "|ella|"}


def test_forms_are_learned_from_groups_of_one_birthday_and_surname_without_ninos() -> None:
    """Most services record no NINO: a form that turns up beside another in most groups of
    one date of birth and surname where it turns up at all is learned (issue 15: "Nollie"
    for Olivia is in no table)."""
    rows: list[tuple[str, str, str | None, str | None]] = []
    for n in range(3):  # three people recorded as Olivia and as Nollie, no NINO
        rows += [("Olivia", f"Brown{'x' * n}", f"1990-01-0{n + 1}", None)] * 2
        rows += [("Nollie", f"Brown{'x' * n}", f"1990-01-0{n + 1}", None)]
    rows += [("Nollie", "Green", "1991-02-03", None)]  # recorded only so: still fine
    forms = learned_forms(_records(rows))
    assert forms == {"nollie": "|olivia|", "olivia": "|nollie|"}


def test_twins_and_chance_meetings_teach_nothing_by_association() -> None:
    """Twins' names meet in a group too, but carry two NINOs when they carry any; two names
    that meet in a small share of their groups (two people born the same day) are not one."""
    rows: list[tuple[str, str, str | None, str | None]] = []
    for n in range(3):  # twins with their NINOs
        dob = f"2001-01-0{n + 1}"
        rows += [("Oliver", f"Brown{'x' * n}", dob, f"AB11111{n}A")]
        rows += [("Harry", f"Brown{'x' * n}", dob, f"AB22222{n}A")]
    for n in range(40):  # Jade and Ivy each in 40 groups, meeting in two of them
        dob = f"19{50 + n}-03-04"
        rows += [("Jade", "Smith", dob, None), ("Ivy", "Smith" if n < 2 else "Jones", dob, None)]
    assert learned_forms(_records(rows)) == {}
