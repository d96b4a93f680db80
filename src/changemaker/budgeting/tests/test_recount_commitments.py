"""A recount that no longer funds a project stops its commitment with a public update saying
why (core's audited commitment actions); a later recount that funds it again gives it back
its status. An officer's own decision to stop a project is not undone by a recount."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from changemaker.budgeting import actions
from changemaker.budgeting.models import Count, Process
from changemaker.core.models import AuditEvent, User
from changemaker.core.models.commitments import Commitment, CommitmentUpdate

FIRST = timezone.make_aware(datetime(2027, 3, 20, 10, 0))
RECOUNT = timezone.make_aware(datetime(2027, 3, 27, 10, 0))
AGAIN = timezone.make_aware(datetime(2027, 4, 3, 10, 0))


def _count(process: Process, selected: list[str], at: datetime) -> None:
    Count.objects.create(
        process=process,
        heading=process.headings.get(),
        rule="greedy",
        voters=3,
        selected=selected,
        computed_at=at,
    )
    actions.commit_funded(process)  # what the count job does once the results are stored


def _officer_says(
    process: Process,
    code: str,
    make_user: Callable[..., User],
    status: str,
    progress: int,
    text: str,
) -> None:
    """An engagement officer's delivery update on one of the budget's projects."""
    actions.post_delivery_update(
        process.projects.get(code=code),
        by=make_user("engagement_officer"),
        status=status,
        progress=progress,
        text=text,
    )


def _commitment(process: Process, code: str) -> Commitment:
    project = process.projects.get(code=code)
    return Commitment.objects.get(source=f"budgeting.project:{project.pk}")


@pytest.mark.django_db
def test_a_recount_stops_the_commitment_of_a_project_no_longer_funded(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="delivery")
    _count(process, ["P1", "P2"], FIRST)
    _officer_says(process, "P1", make_user, "in_progress", 30, "Contractor appointed")
    updates_before = AuditEvent.objects.filter(action="core.commitment_updated").count()

    _count(process, ["P2", "P3"], RECOUNT)

    stopped = _commitment(process, "P1")
    assert (stopped.status, stopped.progress) == ("stopped", 30)
    latest = stopped.updates.order_by("-at", "-pk").first()
    assert latest is not None and latest.status == "stopped"
    assert latest.text == "No longer funded after the recount on 27 March 2027."
    assert latest.text_cy == "Dim cyllid mwyach ar ôl yr ailgyfrif ar 27 Mawrth 2027."
    assert _commitment(process, "P2").status == "planned"  # still funded: untouched
    assert _commitment(process, "P3").status == "planned"  # newly funded: made
    assert AuditEvent.objects.filter(action="core.commitment_updated").count() == (
        updates_before + 1
    )

    actions.commit_funded(process)  # the same results stored again: nothing more is said
    assert stopped.updates.count() == 2


@pytest.mark.django_db
def test_a_project_funded_again_gets_its_commitment_back(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="delivery")
    _count(process, ["P1", "P2"], FIRST)
    _officer_says(process, "P1", make_user, "in_progress", 30, "Contractor appointed")
    _count(process, ["P2", "P3"], RECOUNT)
    _count(process, ["P1", "P2"], AGAIN)

    back = _commitment(process, "P1")
    assert (back.status, back.progress) == ("in_progress", 30)
    latest = back.updates.order_by("-at", "-pk").first()
    assert latest is not None and latest.status == "in_progress"
    assert latest.text == "Funded again after the recount on 3 April 2027."
    assert latest.text_cy == "Wedi’i gyllido eto ar ôl yr ailgyfrif ar 3 Ebrill 2027."
    assert _commitment(process, "P3").status == "stopped"


@pytest.mark.django_db
def test_an_officers_own_stop_is_not_undone_by_a_recount(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="delivery")
    _count(process, ["P1", "P2"], FIRST)
    _officer_says(process, "P2", make_user, "stopped", 0, "The land is no longer available")
    _count(process, ["P1", "P2"], RECOUNT)

    kept = _commitment(process, "P2")
    assert kept.status == "stopped"
    assert [u.text for u in kept.updates.all()] == ["The land is no longer available"]


@pytest.mark.django_db
def test_an_officers_stop_in_a_recounts_words_is_not_taken_for_one(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    """What undoes a stop is who wrote it (the recount's mark), never what the words say."""
    process = make_process(phase="delivery")
    _count(process, ["P1", "P2"], FIRST)
    _officer_says(
        process,
        "P1",
        make_user,
        "stopped",
        0,
        "No longer funded after the recount on 20 March 2027. The site was sold.",
    )
    _count(process, ["P2"], RECOUNT)
    _count(process, ["P1", "P2"], AGAIN)

    kept = _commitment(process, "P1")
    assert kept.status == "stopped"
    assert kept.updates.count() == 1


@pytest.mark.django_db
def test_the_stops_recounts_wrote_before_the_mark_are_marked_by_the_migration(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="delivery")
    _count(process, ["P1", "P2"], FIRST)
    _count(process, ["P2"], RECOUNT)
    _officer_says(process, "P2", make_user, "in_progress", 5, "Go")
    CommitmentUpdate.objects.update(reason="")  # as they were before the mark existed
    import_module("changemaker.budgeting.migrations.0012_recount_updates_marked").mark(apps, None)

    marked = CommitmentUpdate.objects.exclude(reason="")
    assert [u.text for u in marked] == ["No longer funded after the recount on 27 March 2027."]
    _count(process, ["P1", "P2"], AGAIN)  # and a later recount undoes that stop
    assert _commitment(process, "P1").status == "planned"
