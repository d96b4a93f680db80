"""The open-data API gives published statements only, and their agree/disagree/pass counts only
from the consultation's minimum of people on (as the map and the public export); a statement
fewer people voted on gets no counts; invited-only consultations are left out."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from changemaker.consultations import actions
from changemaker.consultations.models import Consultation, Statement

HOST = {"HTTP_HOST": "exampleton.test"}


def _statements(client: Client, c: Consultation) -> dict[int, dict[str, object]]:
    response = client.get(f"/api/consultations/{c.slug}/statements", **HOST)
    assert response.status_code == 200
    return {row["number"]: row for row in response.json()["items"]}


def _vote(c: Consultation, people: int, number: int, value: int, prefix: str = "p") -> None:
    for n in range(people):
        participant = actions.participant_for(c, token=f"{prefix}-{n}")
        actions.cast_vote(participant, c.statements.get(number=number), value)


def test_no_counts_below_the_minimum_of_people(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    assert c.map_minimum == 7
    _vote(c, 6, number=0, value=1)
    rows = _statements(client, c)
    assert sorted(rows) == [0, 1, 2]
    assert {(r["agree"], r["disagree"], r["passed"]) for r in rows.values()} == {(None,) * 3}


def test_counts_from_the_minimum_on_and_none_for_a_statement_few_voted_on(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    _vote(c, 4, number=0, value=1)
    _vote(c, 2, number=0, value=-1, prefix="q")
    _vote(c, 1, number=0, value=0, prefix="r")
    _vote(c, 2, number=1, value=1)  # two people only on this one
    rows = _statements(client, c)
    assert (rows[0]["agree"], rows[0]["disagree"], rows[0]["passed"]) == (4, 2, 1)
    assert (rows[1]["agree"], rows[1]["disagree"], rows[1]["passed"]) == (None, None, None)
    csv_text = client.get(
        f"/api/consultations/{c.slug}/statements?format=csv", **HOST
    ).content.decode()
    assert csv_text.splitlines()[1] == "0,First statement,,True,4,2,1"  # text_cy blank


def test_unpublished_statements_and_invited_consultations_are_left_out(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    author = actions.participant_for(c, token="author")
    waiting = actions.add_statement(author, "Call me on 07700 900123")
    Statement.objects.filter(pk=waiting.pk).update(status=Statement.Status.PENDING)
    assert sorted(_statements(client, c)) == [0, 1, 2]
    hidden = make_consultation(audience=Consultation.Audience.INVITED)
    listed = client.get("/api/consultations/", **HOST).json()["items"]
    assert [row["slug"] for row in listed] == [c.slug]
    assert client.get(f"/api/consultations/{hidden.slug}/statements", **HOST).status_code == 404
