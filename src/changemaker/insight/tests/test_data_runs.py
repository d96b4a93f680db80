"""Linkage runs: build the frame from every record, link with stable ids, keep false links
apart, publish atomically (an engine failure mid-run leaves the previous run current)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from changemaker.core.jobs import get_handler
from changemaker.core.models import AuditEvent, Council, Job, User
from changemaker.insight import actions, adapter
from changemaker.insight.engine.linkage import PersonLinker
from changemaker.insight.models import (
    Dataset,
    FalseLink,
    LinkRun,
    RecordLink,
    SourceRecord,
    current_run,
)
from changemaker.insight.tests.conftest import SAMPLE_CSV
from changemaker.insight.tests.factories import CSV_HEADER, make_dataset

pytestmark = pytest.mark.django_db


def _person(run: LinkRun, record_id: str) -> str:
    return RecordLink.objects.get(run=run, record__record_id=record_id).person_id


def test_published_run_links_every_record(published_run: LinkRun) -> None:
    run = published_run
    assert run.status == LinkRun.Status.PUBLISHED and run.current
    assert RecordLink.objects.filter(run=run).count() == 4
    report = run.report
    assert report["records"] == 4 and report["quarantined"] == 1
    assert report["values_treated_as_missing"] == 1  # CT3's date of birth
    assert report["persons"] == 4 and report["households"] == 2
    assert run.model["format"] == "changemaker.insight.linkage-model"
    assert "Quillfeather" not in str(report)
    homes = {r.record.record_id: r.household_id for r in run.links.select_related("record")}
    assert homes["CT1"] == homes["CT2"] != homes["CT4"]


def test_rerun_keeps_ids_links_a_new_service_and_reuses_the_model(
    council: Council,
    published_run: LinkRun,
    data_officer: User,
    publish_csv: Callable[[Dataset, str], None],
) -> None:
    housing = make_dataset(council, "housing", service="Housing")
    publish_csv(housing, CSV_HEADER + "HS1,ADA,quillfeather,10/12/1985,ex11aa,1 Mill Rd,8\n")
    second = adapter.link(LinkRun.objects.create(council=council, started_by=data_officer))
    assert current_run(council) == second
    assert not LinkRun.objects.get(pk=published_run.pk).current
    assert _person(second, "CT1") == _person(published_run, "CT1") == _person(second, "HS1")
    assert _person(second, "CT4") == _person(published_run, "CT4")
    assert second.report["model"] == f"run {published_run.pk}"
    # the first run's links are kept (history), the new run's are complete
    assert RecordLink.objects.filter(run=published_run).count() == 4
    assert RecordLink.objects.filter(run=second).count() == 5


def test_false_links_are_kept_apart(
    council: Council,
    published_run: LinkRun,
    data_officer: User,
    publish_csv: Callable[[Dataset, str], None],
) -> None:
    housing = make_dataset(council, "housing", service="Housing")
    publish_csv(housing, CSV_HEADER + "HS1,ADA,quillfeather,10/12/1985,ex11aa,1 Mill Rd,8\n")
    ct1 = SourceRecord.objects.get(record_id="CT1")
    hs1 = SourceRecord.objects.get(record_id="HS1")
    a, b = sorted([ct1, hs1], key=lambda r: r.pk)
    FalseLink.objects.create(council=council, record_a=a, record_b=b, note="Different people")
    run = adapter.link(LinkRun.objects.create(council=council, started_by=data_officer))
    assert _person(run, "CT1") != _person(run, "HS1")
    assert run.report["false_links_kept_apart"] == 1


def test_engine_failure_mid_run_leaves_the_previous_run(
    council: Council,
    published_run: LinkRun,
    data_officer: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: PersonLinker, records: object) -> None:
        raise MemoryError("out of memory while scoring")

    monkeypatch.setattr(PersonLinker, "predict", broken)
    run = LinkRun.objects.create(council=council, started_by=data_officer)
    with pytest.raises(MemoryError):
        adapter.link(run)
    run.refresh_from_db()
    assert run.status == LinkRun.Status.FAILED and not run.current
    assert run.report == {"error": "MemoryError"}
    assert current_run(council) == published_run
    assert not RecordLink.objects.filter(run=run).exists()
    assert RecordLink.objects.filter(run=published_run).count() == 4


def test_failure_while_publishing_rolls_back(
    council: Council,
    published_run: LinkRun,
    data_officer: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = RecordLink.objects.bulk_create

    def half(objs: list[RecordLink], **kwargs: object) -> None:
        original(objs[:1])
        raise RuntimeError("connection lost")

    monkeypatch.setattr(RecordLink.objects, "bulk_create", half)
    run = LinkRun.objects.create(council=council, started_by=data_officer)
    with pytest.raises(RuntimeError):
        adapter.link(run)
    assert current_run(council) == published_run
    assert not RecordLink.objects.filter(run=run).exists()


def test_the_job_runs_links_and_reports_counts(
    council: Council,
    dataset: Dataset,
    data_officer: User,
    publish_csv: Callable[[Dataset, str], None],
) -> None:
    publish_csv(dataset, SAMPLE_CSV)
    run = actions.start_linkage(council, by=data_officer)
    assert run.job is not None and run.job.kind == "insight.link"
    with pytest.raises(actions.DataError, match="under way"):
        actions.start_linkage(council, by=data_officer)
    result = get_handler("insight.link")(run.job)
    assert result == {
        "run": run.pk,
        "records": 4,
        "persons": 4,
        "households": 2,
        "flags_raised": 0,
    }
    run.refresh_from_db()
    assert run.current and run.job.message
    assert AuditEvent.objects.filter(action="insight.run.published").exists()


def test_retrain_on_request(council: Council, published_run: LinkRun, data_officer: User) -> None:
    run = actions.start_linkage(council, by=data_officer, retrain=True)
    assert run.job is not None
    get_handler("insight.link")(run.job)
    run.refresh_from_db()
    assert run.report["model"].startswith("built-in")  # too few records to train on


def test_a_training_failure_falls_back_to_the_last_model(
    council: Council, published_run: LinkRun, data_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retraining on records with no pair to estimate the prior from publishes the run with
    the last run's model and says why (the run failed with "ValueError" before)."""
    from changemaker.insight.engine import linkage

    monkeypatch.setattr(linkage, "MIN_TRAINING_RECORDS", 1)  # train even on these few
    run = actions.start_linkage(council, by=data_officer, retrain=True)
    assert run.job is not None
    get_handler("insight.link")(run.job)
    run.refresh_from_db()
    assert run.status == LinkRun.Status.PUBLISHED and run.current
    assert run.report["model"].startswith(f"run {published_run.pk}, as training failed: ")
    assert "no two records agree" in run.report["model"]
    assert run.model == published_run.model


def test_no_records_no_run(council: Council, data_officer: User) -> None:
    with pytest.raises(actions.DataError, match="no records"):
        actions.start_linkage(council, by=data_officer)


def test_job_failure_is_safe_to_show(
    council: Council, data_officer: User, dataset: Dataset
) -> None:
    run = LinkRun.objects.create(council=council, started_by=data_officer)
    job = Job.objects.create(
        kind="insight.link", title="Link", council=council, params={"run": run.pk}
    )
    from changemaker.core.jobs import JobFailed

    with pytest.raises(JobFailed, match="no records"):
        get_handler("insight.link")(job)
    run.refresh_from_db()
    assert run.status == LinkRun.Status.FAILED


def test_households_are_people_at_one_address_at_the_same_time(
    council: Council, data_officer: User, publish_csv: Callable[[Dataset, str], None]
) -> None:
    """Tenancy dates travel from the file to the records and into households: the family who
    moved out of 4 Elm Row and the family who moved in later are two households."""
    housing = make_dataset(
        council,
        "housing",
        service="Housing",
        column_mapping={
            "record_id": "Ref",
            "first_name": "Forename",
            "surname": "Surname",
            "date_of_birth": "DOB",
            "postcode": "Post code",
            "address_line": "Address",
            "address_from": "Start",
            "address_to": "End",
        },
        attribute_columns=[],
    )
    publish_csv(
        housing,
        "Ref,Forename,Surname,DOB,Post code,Address,Start,End\n"
        "H1,Ada,Quillfeather,1985-12-10,EX1 1AA,4 Elm Row,2010-01-01,2018-06-30\n"
        "H2,Byron,Quillfeather,2014-05-01,EX1 1AA,4 Elm Row,2014-05-01,30/06/2018\n"
        "H3,Edith,Marrowby,1990-03-04,EX1 1AA,4 Elm Row,2018-07-01,\n"
        "H4,Fred,Marrowby,2019-08-09,EX1 1AA,4 Elm Row,2019-08-09,\n"
        "H5,Gwen,Tallowmere,1970-01-02,EX1 1AA,6 Elm Row,2018-01-01,2017-01-01\n",
    )
    ada = SourceRecord.objects.get(record_id="H1")
    assert (ada.address_from.isoformat(), ada.address_to.isoformat()) == (
        "2010-01-01",
        "2018-06-30",
    )
    assert SourceRecord.objects.get(record_id="H3").address_to is None
    gwen = SourceRecord.objects.get(record_id="H5")  # ends before it starts: period unknown
    assert gwen.address_from is None and gwen.address_to is None
    run = adapter.link(LinkRun.objects.create(council=council, started_by=data_officer))
    homes = {r.record.record_id: r.household_id for r in run.links.select_related("record")}
    assert homes["H1"] == homes["H2"]
    assert homes["H3"] == homes["H4"]
    assert homes["H1"] != homes["H3"]
