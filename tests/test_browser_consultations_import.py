"""The Polis import without JavaScript: upload, follow the job page, read its warnings, go on to
the result; axe-core on the finished job page (with JavaScript, which axe needs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from changemaker.core.models import Job
from tests.browser import axe_problems, press, sign_in, submit

pytestmark = pytest.mark.browser

LAYOUTS = (
    Path(__file__).resolve().parents[1]
    / "src/changemaker/consultations/engine/tests/fixtures/layouts/spreadsheet-crlf-bom"
)


def test_polis_import_as_a_job_without_javascript(
    demo: None, page_no_js: Any, page: Any, live_server: Any
) -> None:
    no_js, axe_page, base = page_no_js, page, live_server.url
    page = no_js
    sign_in(page, base, "engagement@exampleton.example")
    page.goto(base + "/have-your-say/import/")
    page.fill("#id_question", "Can there be consensus on Brexit?")
    page.fill("#id_slug", "brexit-subset")
    page.set_input_files("#id_comments", str(LAYOUTS / "comments.csv"))
    page.set_input_files("#id_votes", str(LAYOUTS / "participants-votes.csv"))
    submit(page)
    job = Job.objects.get(kind="consultations.import")
    assert page.url.endswith(f"/staff/jobs/{job.pk}/")
    assert page.get_by_role("link", name="Refresh to see progress").is_visible()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    press(page.get_by_role("link", name="Refresh to see progress"))
    assert "Finished" in page.locator("#job-progress").inner_text()
    assert "column 'notes': not a Polis column" in page.locator("#job-progress").inner_text()
    job_page = page.url
    press(page.get_by_role("link", name="See the result"))
    assert page.url.endswith("/have-your-say/brexit-subset/results/")
    # axe-core needs JavaScript: the same job page, read in a browser with it on.
    sign_in(axe_page, base, "engagement@exampleton.example")
    axe_page.goto(job_page)
    assert "Finished" in axe_page.locator("#job-progress").inner_text()
    assert axe_problems(axe_page) == []
