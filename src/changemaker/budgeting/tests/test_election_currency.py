"""An imported election keeps its own country and currency: the page shows its money in that
currency (Assen: €), and its .pb download says what the file said (Netherlands, EUR), not the
council's (United Kingdom, GBP). A budget made here says United Kingdom, GBP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.budgeting import actions, adapter
from changemaker.budgeting.demo import FIXTURES
from changemaker.budgeting.models import Process
from changemaker.core.models import Council

HOST = {"HTTP_HOST": "exampleton.test"}


def _dates() -> dict[str, object]:
    start = timezone.now() - timedelta(days=70)
    return {
        "ideas_from": start,
        "review_from": start + timedelta(days=1),
        "voting_from": start + timedelta(days=2),
        "voting_until": start + timedelta(days=3),
        "delivery_from": start + timedelta(days=60),
    }


@pytest.mark.django_db
def test_assen_keeps_netherlands_and_euros(client: Client, council: Council) -> None:
    process = actions.import_pabulib(
        council,
        (FIXTURES / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8"),
        source="Netherlands_Assen_2024.pb",
        slug="assen",
        title="Assen",
        summary="s",
        dates=_dates(),  # type: ignore[arg-type]
    )
    heading = process.headings.get()
    adapter.store_count(process, heading, *adapter.count_heading(process, heading))
    page = client.get(reverse("budgeting:results", args=[process.slug]), **HOST).text
    assert "€100,000 budget" in page and "£" not in page
    text = client.get(
        reverse("budgeting:results-file", args=[process.slug, heading.pk]), **HOST
    ).text
    meta = dict(line.split(";", 1) for line in text.split("PROJECTS")[0].splitlines()[2:])
    assert meta["country"] == "Netherlands" and meta["currency"] == "EUR"


def test_a_budget_made_here_is_written_as_united_kingdom_pounds(
    make_process: Callable[..., Process],
) -> None:
    process = make_process(phase="results")
    election = adapter.build_election(process, process.headings.get())
    assert election.meta["country"] == "United Kingdom" and election.meta["currency"] == "GBP"
