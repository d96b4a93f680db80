"""A count whose worker dies (or fails) half-way stores no result: it runs again from the
start (the handler is registered as safe to retry when its worker dies)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from changemaker.budgeting import jobs
from changemaker.budgeting.models import Count, Heading, Process
from changemaker.core.jobs import get_handler
from changemaker.core.models import Job


def test_a_count_stopped_half_way_stores_nothing(
    make_process: Callable[..., Process], monkeypatch: pytest.MonkeyPatch
) -> None:
    process = make_process(phase="results")
    Heading.objects.create(process=process, name="North", budget=5_000)
    counted = jobs.count_heading
    calls = []

    def dies_on_the_second(process: Process, heading: Heading) -> object:
        calls.append(heading.name)
        if len(calls) == 2:
            raise MemoryError  # the worker would die here
        return counted(process, heading)

    monkeypatch.setattr(jobs, "count_heading", dies_on_the_second)
    job = Job.objects.create(
        kind="budgeting.count",
        title="Count",
        council=process.council,
        params={"process": process.pk},
    )
    with pytest.raises(MemoryError):
        get_handler("budgeting.count")(job)
    assert len(calls) == 2
    assert not Count.objects.filter(process=process).exists()
