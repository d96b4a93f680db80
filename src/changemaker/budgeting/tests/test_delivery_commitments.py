"""Budgeting's delivery updates are commitments (one model, not two): a funded project gets
its commitment when its count is stored, delivery updates are that commitment's updates, and
the migration moved the old DeliveryUpdate rows across."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from changemaker.budgeting import actions, selectors
from changemaker.budgeting.models import Count, Process, Project
from changemaker.core.models import User
from changemaker.core.models.commitments import Commitment, CommitmentUpdate
from changemaker.core.registry import JOURNEYS

BEFORE = [("budgeting", "0009_welsh_versions"), ("core", "0009_commitments")]
AFTER = [("budgeting", "0010_delivery_becomes_commitments")]


@pytest.mark.django_db
def test_results_make_commitments_and_updates_go_to_them(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="delivery")
    heading = process.headings.get()
    Count.objects.create(
        process=process, heading=heading, rule="greedy", voters=3, selected=["P1", "P2"]
    )
    made = actions.commit_funded(process)
    again = actions.commit_funded(process)  # a recount keeps them
    assert [c.pk for c in made] == [c.pk for c in again]
    p1 = process.projects.get(code="P1")
    commitment = Commitment.objects.get(source=f"budgeting.project:{p1.pk}")
    assert (commitment.title, commitment.status, commitment.owner) == ("Project 1", "planned", "")

    officer = make_user("engagement_officer")
    actions.post_delivery_update(
        p1, by=officer, status="in_progress", progress=30, text="Contractor appointed"
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 30)
    assert CommitmentUpdate.objects.get().text == "Contractor appointed"
    journey = JOURNEYS["budgeting"](process.council, commitment.source)
    assert "Funded, when the votes were counted" in [what for _when, what in journey]
    assert selectors.delivery_of(p1) == commitment


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_delivery_updates_into_commitment_updates() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    council = old.get_model("core", "Council").objects.create(
        name="Exampleton", slug="ex-mig", contact_email="a@example.test"
    )
    now = timezone.now()
    process = old.get_model("budgeting", "Process").objects.create(
        council=council,
        slug="old",
        title="Old budget",
        summary="s",
        ideas_from=now - timedelta(days=90),
        review_from=now - timedelta(days=80),
        voting_from=now - timedelta(days=70),
        voting_until=now - timedelta(days=60),
        delivery_from=now - timedelta(days=50),
    )
    heading = old.get_model("budgeting", "Heading").objects.create(
        process=process, name="All", budget=1000
    )
    project = old.get_model("budgeting", "Project").objects.create(
        process=process,
        heading=heading,
        code="P1",
        title="New benches",
        description="d",
        rough_cost=500,
        delivery_status="in_progress",
        delivery_progress=45,
    )
    old.get_model("budgeting", "Project").objects.create(
        process=process,
        heading=heading,
        code="P2",
        title="Not funded",
        description="d",
        rough_cost=500,
    )
    old.get_model("budgeting", "DeliveryUpdate").objects.create(
        project=project, text="Benches ordered", created_at=now - timedelta(days=10)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    commitment = new.get_model("core", "Commitment").objects.get()
    assert commitment.source == f"budgeting.project:{project.pk}"
    assert (commitment.title, commitment.status, commitment.progress) == (
        "New benches",
        "in_progress",
        45,
    )
    update = new.get_model("core", "CommitmentUpdate").objects.get()
    assert (update.commitment_id, update.text) == (commitment.pk, "Benches ordered")
    assert update.at == now - timedelta(days=10)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Project.objects.count() == 2
