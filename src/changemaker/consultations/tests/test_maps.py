"""The opinion map: computed in the background from the database, served from the last result;
Polis export and import round-trip; malformed exports are refused with file, line and field."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from changemaker.consultations import actions, adapter
from changemaker.consultations.engine import OpinionMap, PolisFormatError, load_conversation
from changemaker.consultations.models import Consultation, OpinionSnapshot, Vote
from changemaker.core.models import Job

HOST = {"HTTP_HOST": "exampleton.test"}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.django_db(transaction=True)
def test_map_job_matches_the_engine_on_the_same_votes(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation(seeds=[f"Statement {n}" for n in range(10)])
    rng = random.Random(7)
    for person in range(40):
        camp = 1 if person % 2 else -1
        p = actions.participant_for(c, token=f"browser-{person}")
        for s in c.statements.all():
            value = camp if s.number < 5 else -camp
            Vote.objects.create(
                participant=p, statement=s, value=value if rng.random() > 0.1 else 0
            )
    actions.request_map(c)
    job = Job.objects.get(kind="consultations.map")
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.get()
    assert queued.run_after > timezone.now()  # debounced: the run waits for more votes
    DBTaskResult.objects.update(run_after=timezone.now())  # the test does not wait
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    snapshot = OpinionSnapshot.objects.get()
    votes, statements = adapter.engine_inputs(c)
    expected = OpinionMap().fit(votes, statements).result_
    assert expected is not None
    assert snapshot.result["participant_group"] == {
        str(k): v for k, v in expected.to_dict()["participant_group"].items()
    }
    assert len(snapshot.result["groups"]) == 2  # the two camps
    page = client.get(reverse("consultations:results", args=[c.slug]), **HOST).content.decode()
    assert 'role="img"' in page and "<table" in page and "What divides people" in page


def test_export_round_trips_through_the_engine_reader(
    make_consultation: Callable[..., Consultation], tmp_path: Path
) -> None:
    c = make_consultation()
    p = actions.participant_for(c, token="a")
    actions.cast_vote(p, c.statements.get(number=0), 1)
    actions.cast_vote(p, c.statements.get(number=2), -1)
    # the staff export: the public one holds no votes until enough people have voted
    with zipfile.ZipFile(io.BytesIO(adapter.export_polis(c, by=c.created_by))) as archive:
        archive.extractall(tmp_path)
    conversation = load_conversation(tmp_path)
    assert [s.text for s in conversation.statements][:3] == [
        "First statement",
        "Second statement",
        "Third statement",
    ]
    assert sorted(
        zip(conversation.votes.statement.tolist(), conversation.votes.vote.tolist(), strict=True)
    ) == [(0, 1), (2, -1)]


def test_import_real_polis_export_and_refuse_broken_ones(council: object) -> None:
    files = {name: (FIXTURES / name).read_bytes() for name in ("comments.csv", "votes.csv")}
    c = adapter.import_polis(council, files, slug="seattle", question="$15/hour")  # type: ignore[arg-type]
    reference = load_conversation(FIXTURES)
    assert c.statements.count() == len(reference.statements)
    assert c.participants.count() == len(set(reference.votes.participant.tolist()))

    broken = dict(files)
    lines = files["votes.csv"].decode().splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0] + ",7"  # a vote of 7
    broken["votes.csv"] = ("\n".join(lines) + "\n").encode()
    with pytest.raises(PolisFormatError) as error:
        adapter.import_polis(council, broken, slug="broken", question="x")  # type: ignore[arg-type]
    message = str(error.value)
    assert "votes.csv" in message and "line 6" in message and "vote" in message
    assert not Consultation.objects.filter(slug="broken").exists()


def test_next_map_starts_warm_and_keeps_the_groups(council: object) -> None:
    files = {name: (FIXTURES / name).read_bytes() for name in ("comments.csv", "votes.csv")}
    c = adapter.import_polis(council, files, slug="seattle", question="$15/hour")  # type: ignore[arg-type]
    cold = adapter.compute_map(c)
    assert cold.warm_state is not None
    warm = adapter.compute_map(c)  # nothing changed
    assert warm.result["participant_group"] == cold.result["participant_group"]
