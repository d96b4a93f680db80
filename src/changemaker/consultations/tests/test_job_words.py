"""The consultations' jobs say what they did in words (``core.jobs.summary``), with plurals and
numbers the UK way, not their result's data."""

from __future__ import annotations

from changemaker.consultations import jobs  # noqa: F401  (registers the handlers)
from changemaker.core.jobs import summary
from changemaker.core.models import Council, Job


def test_a_map_job_says_what_it_made(council: Council) -> None:
    job = Job.objects.create(
        kind="consultations.map",
        title="Opinion map",
        council=council,
        result={"votes": 12345, "groups": 1, "people": 1},
    )
    assert summary(job) == [
        "Opinion map made from 12,345 votes.",
        "1 person is in the map.",
        "It found 1 group of opinion.",
    ]
    older = Job.objects.create(  # a map stored before people were counted
        kind="consultations.map",
        title="Opinion map",
        council=council,
        result={"votes": 1, "groups": 3},
    )
    assert summary(older) == ["Opinion map made from 1 vote.", "It found 3 groups of opinion."]


def test_an_import_job_says_what_it_imported(council: Council) -> None:
    job = Job.objects.create(
        kind="consultations.import",
        title="Import",
        council=council,
        result={
            "statements": 1,
            "participants": 2304,
            "votes": 1000000,
            "warnings": ["column 'notes': not a Polis column"],
            "link": "/have-your-say/x/results/",
        },
    )
    assert summary(job) == [
        "1 statement imported.",
        "2,304 people took part.",
        "1,000,000 votes imported.",
    ]
