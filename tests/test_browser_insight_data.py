"""The data officer's pages in a real browser: axe-core on each (zero serious or critical
violations), and upload -> report -> publish -> run linkage with JavaScript off."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from changemaker.core.models import User
from changemaker.insight import adapter
from changemaker.insight.models import Dataset, LinkRun, Upload, current_run
from tests.browser import axe_problems, press, sign_in, submit

pytestmark = pytest.mark.browser

OFFICER = "data@exampleton.example"
HEADER = "Account ref,Forename,Surname,DOB,Postcode,Property address,Email,Phone,arrears_amount\n"


def test_every_data_page_passes_axe(demo: None, page: Any, live_server: Any) -> None:
    base = live_server.url
    dataset = Dataset.objects.get(code="council-tax")
    upload = Upload.objects.filter(dataset=dataset).first()
    run = LinkRun.objects.filter(current=True).first()
    assert upload is not None and run is not None
    # an upload whose report lists a value that could not be used (the table is checked too)
    checked = adapter.validate_upload(
        dataset,
        by=User.objects.get(email=OFFICER),
        name="ct.csv",
        stream=io.BytesIO((HEADER + "CT-9,Ada,Quill,31/09/1966,XA1 1AA,1 Mill Road,,,\n").encode()),
    )
    assert checked.report["field_problems"]
    sign_in(page, base, OFFICER)
    paths = [
        f"/insight/uploads/{checked.pk}/",
        "/insight/agreements/",
        "/insight/agreements/new/",
        f"/insight/agreements/{dataset.agreement_id}/",
        "/insight/purposes/new/",
        "/insight/datasets/",
        "/insight/datasets/new/",
        f"/insight/datasets/{dataset.pk}/",
        f"/insight/datasets/{dataset.pk}/change/",
        f"/insight/datasets/{dataset.pk}/mapping/",
        f"/insight/datasets/{dataset.pk}/upload/",
        f"/insight/uploads/{upload.pk}/",
        "/insight/gazetteer/",
        "/insight/runs/",
        f"/insight/runs/{run.pk}/",
        "/insight/processing/",
    ]
    failures = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        if problems := axe_problems(page):
            failures[path] = problems
    for path in (
        "/insight/agreements/new/",
        f"/insight/datasets/{dataset.pk}/upload/",
        "/insight/gazetteer/",
    ):
        page.goto(base + path)
        submit(page)  # nothing filled in: the error summary
        assert page.locator(".govuk-error-summary").is_visible(), path
        if problems := axe_problems(page):
            failures[path + " with errors"] = problems
    assert failures == {}


def test_upload_publish_and_run_without_javascript(
    demo: None, page_no_js: Any, live_server: Any, tmp_path: Path
) -> None:
    page, base = page_no_js, live_server.url
    dataset = Dataset.objects.get(code="council-tax")
    before = current_run(dataset.council)
    sign_in(page, base, OFFICER)

    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Name,Balance\nA,1\n", encoding="utf-8")
    page.goto(f"{base}/insight/datasets/{dataset.pk}/upload/")
    page.set_input_files("#id_file", str(wrong))
    submit(page)
    assert "checking every row of the file" in page.content()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.get_by_role("link", name="Refresh this page to see the report").click()
    assert "columns the mapping expects" in page.content()
    press(page.get_by_role("link", name="Upload a corrected file"))

    good = tmp_path / "council-tax.csv"
    good.write_text(
        HEADER
        + "CT-1,Ada,Quillfeather,1985-12-10,XA1 1AA,1 Mill Road,,,£750.00\n"
        + "CT-2,Byron,Quillfeather,31/02/2014,XA1 1AA,1 Mill Road,,,£0.00\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(good))
    submit(page)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.reload()
    assert "Upload report" in page.content()
    # the impossible date drops nobody: listed by line and column, the record kept
    assert page.locator("td", has_text="DOB").count() == 1
    assert "date does not exist: treated as missing" in page.content()
    assert "Byron" not in page.content()  # lines and reasons only
    press(page.get_by_role("button", name="Publish the accepted rows"))
    assert "Publishing has started" in page.content()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.reload()
    assert "2 records added" in page.content()
    assert dataset.records.count() == 2

    press(page.get_by_role("link", name="Run the linkage to bring people and households"))
    press(page.get_by_role("button", name="Run linkage now"))
    assert "The linkage run has started" in page.content()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.reload()
    assert "Succeeded" in page.content() or "Finished" in page.content()
    after = current_run(dataset.council)
    assert after is not None and after != before
    assert after.links.filter(record__dataset=dataset).count() == 2
    page.goto(f"{base}/insight/runs/{after.pk}/")
    assert "Records linked" in page.content()
    assert "Values treated as missing in the latest uploads" in page.content()


def test_gazetteer_upload_without_javascript(
    demo: None, page_no_js: Any, live_server: Any, tmp_path: Path
) -> None:
    """A gazetteer with a bad line is refused whole, the page lists the line, column and field;
    the demo's gazetteer stays in use. The run page reports the address-match rates."""
    page, base = page_no_js, live_server.url
    sign_in(page, base, OFFICER)
    page.goto(f"{base}/insight/gazetteer/")
    assert "Gazetteer in use" in page.content() and "None yet" not in page.content()
    bad = tmp_path / "llpg.csv"
    bad.write_text(
        "uprn,sao,pao,street,town,postcode\n1,,1,MILL ROAD,EXAMPLETON,XA1 1AA\n"
        "2,,2,MILL ROAD,EXAMPLETON,NOT A POSTCODE\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(bad))
    submit(page)
    assert "being checked" in page.content()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.goto(f"{base}/insight/gazetteer/")
    row = page.locator("tbody tr", has_text="not a UK postcode")
    assert row.count() == 1 and "postcode" in row.inner_text() and "3" in row.inner_text()
    run = LinkRun.objects.filter(current=True).first()
    assert run is not None
    page.goto(f"{base}/insight/runs/{run.pk}/")
    assert "To a UPRN in the gazetteer" in page.content()
