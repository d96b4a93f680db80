"""Counting as a background job, results that pabutools agrees with, the real demo file."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from changemaker.budgeting import actions, adapter, selectors
from changemaker.budgeting.demo import FIXTURES
from changemaker.budgeting.engine.explain import REASONS
from changemaker.budgeting.models import Count, Process
from changemaker.core import actions as core_actions
from changemaker.core.jobs import JobFailed
from changemaker.core.models import AuditEvent, Council, Job, User

HOST = {"HTTP_HOST": "exampleton.test"}


def _pabutools_selection(pb_text: str) -> set[str]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    with tempfile.NamedTemporaryFile("w", suffix=".pb", delete=False, encoding="utf-8") as f:
        f.write(pb_text)
    instance, profile = parse_pabulib(f.name)
    chosen = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    return {p.name for p in chosen}


@pytest.mark.django_db(transaction=True)
def test_count_runs_as_a_job_and_results_file_round_trips_through_pabutools(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: Any
) -> None:
    process = make_process(costs=(4000, 5000, 6000, 3000), rule="mes", completion="none")
    heading = process.headings.get()
    for n, marks in enumerate(
        [
            {"P1": 1, "P2": 1},
            {"P3": 1},
            {"P3": 1, "P4": 1},
            {"P2": 1},
            {"P1": 1},
            {"P4": 1, "P1": 1},
        ]
    ):
        voter = make_user(email=f"v{n}@x.org")
        eligible(process, voter)
        actions.cast_ballot(process, heading, marks, voter=voter)
    job = core_actions.start_job(
        "budgeting.count", title="Count", params={"process": process.pk}, council=process.council
    )
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    row = Count.objects.get()
    assert row.voters == 6
    text = adapter.results_file(process, heading)
    assert "selected" in text and "num_votes;6" in text
    assert _pabutools_selection(text) == set(row.selected)
    assert set(row.explanation) == {"P1", "P2", "P3", "P4"}


@pytest.mark.django_db
def test_demo_assen_reproduces_the_official_outcome(council: object) -> None:
    call_command("load_demo", stdout=StringIO())
    process = Process.objects.get(slug="assen-2024")
    row = Count.objects.get(process=process)
    official = set()
    section = ""
    for line in (FIXTURES / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8").splitlines():
        if line in {"META", "PROJECTS", "VOTES"}:
            section = line
            continue
        cells = line.split(";")
        if section == "PROJECTS" and cells[0] != "project_id" and cells[4] == "1":
            official.add(cells[0])
    assert set(row.selected) == official
    assert process.ballots.count() == 84


def test_malformed_pb_import_writes_nothing(council: object) -> None:
    from changemaker.budgeting.engine.errors import PabulibError

    broken = "META\nkey;value\nnum_projects;1\nPROJECTS\nproject_id;cost\n1;lots\nVOTES\n"
    with pytest.raises(PabulibError) as error:
        actions.import_pabulib(
            council,
            broken,
            source="broken.pb",
            slug="b",
            title="B",  # type: ignore[arg-type]
            summary="s",
            dates={},
        )
    assert "line" in str(error.value).lower()
    assert not Process.objects.exists()


@pytest.mark.django_db
def test_results_page_shows_chart_table_and_download(client: Client, council: object) -> None:
    call_command("load_demo", stdout=StringIO())
    process = Process.objects.get(slug="assen-2024")
    page = client.get(reverse("budgeting:results", args=[process.slug]), **HOST).content.decode()
    assert 'role="img"' in page and "<table" in page and "Funded" in page
    assert "Turnout by ward" in page
    assert "of the Method of Equal Shares: its" in page  # each project's reason, worded here
    heading = process.headings.get()
    download = client.get(
        reverse("budgeting:results-file", args=[process.slug, heading.pk]), **HOST
    )
    assert download.status_code == 200 and download.content.startswith(b"META")


def _private_files() -> list[str]:
    from django.core.files.storage import storages

    try:
        return list(storages["private"].listdir("pb-imports")[1])
    except FileNotFoundError:
        return []


def _upload(client: Client, text: str, slug: str = "assen") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"title": "Assen", "slug": slug, "file": SimpleUploadedFile("a.pb", text.encode())}
    return client.post(reverse("budgeting:staff-import"), data, **HOST)


def _run_jobs() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_import_runs_as_a_job_that_reports_the_bad_line_and_saves_nothing(
    client_as: Callable[[str | None], Client], council: object
) -> None:
    """Found in production: an 8 MB file was read in the request (143 s)."""
    from django.core.files.storage import default_storage

    from changemaker.core.models import Role

    client = client_as(Role.ENGAGEMENT_OFFICER)
    text = (FIXTURES / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    broken = text.replace("3;7200;43;", "3;seven thousand;43;", 1)
    response = _upload(client, broken)
    job = Job.objects.get(kind="budgeting.import")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert len(_private_files()) == 1 and not default_storage.exists("pb-imports")
    assert not Process.objects.exists()  # nothing read in the request
    _run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "a.pb, line 20" in job.error
    assert "Nothing has been saved" in job.error
    page = client.get(response["Location"], **HOST).content.decode()
    assert "a.pb, line 20" in page and "seven thousand" in page
    assert not Process.objects.exists() and _private_files() == []

    ok = _upload(client, text)
    assert ok.status_code == 302 and not Process.objects.exists()
    _run_jobs()
    process = Process.objects.get()
    assert process.ballots.count() == 84 and process.source_file == "a.pb"
    done = client.get(ok["Location"], **HOST).content.decode()
    assert "Finished" in done and reverse("budgeting:staff", args=["assen"]) in done
    assert _private_files() == []
    imported = AuditEvent.objects.get(action="pb.imported")
    assert imported.actor == job.created_by is not None  # the officer, not the worker


@pytest.mark.django_db(transaction=True)
def test_a_lost_import_deletes_its_upload(
    client_as: Callable[[str | None], Client], council: object
) -> None:
    """The worker dies before the job's own clean-up: recovery fails the job (an import is not
    run twice) and deletes the file it kept."""
    from datetime import timedelta

    from django.utils import timezone

    from changemaker.core.jobs import recover_lost_jobs
    from changemaker.core.models import Role

    text = (FIXTURES / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    _upload(client_as(Role.ENGAGEMENT_OFFICER), text)
    assert len(_private_files()) == 1
    Job.objects.filter(kind="budgeting.import").update(
        status=Job.Status.RUNNING, attempts=1, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    recover_lost_jobs()
    assert Job.objects.get(kind="budgeting.import").status == Job.Status.FAILED
    assert _private_files() == [] and not Process.objects.exists()


def test_an_import_whose_short_name_is_taken_is_refused_by_the_field(
    client_as: Callable[[str | None], Client], make_process: Callable[..., Process]
) -> None:
    from changemaker.core.models import Role

    taken = make_process().slug
    page = _upload(client_as(Role.ENGAGEMENT_OFFICER), "META\n", slug=taken).content.decode()
    assert "There is a problem" in page and "already exists" in page
    assert not Job.objects.exists() and _private_files() == []


def test_a_file_that_went_missing_fails_the_job_with_a_clear_message(council: Council) -> None:
    from changemaker.budgeting.jobs import import_file

    job = Job.objects.create(
        kind="budgeting.import",
        title="Import",
        council=council,
        params={"file": "pb-imports/gone.pb", "source": "a.pb", "slug": "a", "title": "A"},
    )
    with pytest.raises(JobFailed, match="no longer there"):
        import_file(job)


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_stored_explanations_read_as_the_engine_says_them(kind: str) -> None:
    """The web app words a stored (kind, facts) itself, translatably; in English it must say
    exactly what the engine says."""
    facts = {
        "votes": "12",
        "position": "3",
        "left": "1,500",
        "cost": "2,000",
        "round": "4",
        "money": "900.5",
        "taken": "600",
        "took": "P7",
    }
    with translation.override("en"):
        assert selectors.reason_text({"kind": kind, **facts}) == REASONS[kind].format(**facts)


def test_counts_stored_before_kinds_keep_their_sentence() -> None:
    assert selectors.reason_text("Funded: it costs nothing.") == "Funded: it costs nothing."
    assert selectors.reason_text(None) == ""
