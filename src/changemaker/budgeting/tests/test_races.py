"""Races on the database-enforced rules, with real threads and connections (SQLite locally,
PostgreSQL in CI): one eligibility per person per process, one ward ballot per person, one
browser per voting code, one account per register entry."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from changemaker.budgeting import actions, selectors
from changemaker.budgeting.models import Ballot, Eligibility, Process, VotingCode
from changemaker.core.models import Council, Role, User

pytestmark = pytest.mark.django_db(transaction=True)


def _together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads released at the same moment; each result or its exception."""
    start = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(n: int) -> None:
        try:
            start.wait()
            results[n] = jobs[n]()
        except Exception as exc:
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_first_checks_with_two_postcodes_give_one_ward(
    ward_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process, resident = ward_process(), make_user()
    results = _together(
        *[
            lambda postcode=postcode: actions.check_eligibility(
                process, resident, postcode=postcode, born=date(2000, 1, 1)
            )
            for postcode in ("EX1 1AA", "EX9 1AA") * 2
        ]
    )
    [eligibility] = Eligibility.objects.all()
    for got in results:
        assert isinstance(got, (Eligibility, actions.ActionRefused)), got
        if isinstance(got, Eligibility):
            assert got.pk == eligibility.pk
    assert sum(isinstance(r, actions.ActionRefused) for r in results) == 2


def test_two_ward_ballots_at_once_leave_one(
    ward_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process, resident = ward_process(), make_user()
    headings = [process.headings.get(name=n) for n in ("Abbey", "Bridge")]

    def vote(n: int) -> Ballot:
        with transaction.atomic():
            return Ballot.objects.create(
                process=process,
                heading=headings[n],
                channel="account",
                voter=resident,
                in_ward_budget=True,
            )

    results = _together(lambda: vote(0), lambda: vote(1))
    assert sorted(type(r).__name__ for r in results) == ["Ballot", "IntegrityError"]
    assert Ballot.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            process=process,
            heading=headings[1],
            channel="account",
            voter=resident,
            in_ward_budget=True,
        )


def test_one_code_entered_in_two_browsers_at_once_is_held_by_one(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process()
    [code] = actions.issue_codes(process, count=1, by=make_user(Role.ENGAGEMENT_OFFICER))
    results = _together(
        *[lambda t=t: actions.redeem_code(process, code, token=t) for t in ("one", "two", "three")]
    )
    held = [r for r in results if isinstance(r, VotingCode)]
    assert len(held) == 1
    assert all(isinstance(r, actions.ActionRefused) for r in results if r not in held)
    stored = VotingCode.objects.get()
    assert stored.session_hash in {selectors.session_token_hash(t) for t in ("one", "two", "three")}


def test_one_register_entry_claimed_by_two_accounts_at_once(
    make_process: Callable[..., Process], council: Council, make_user: Callable[..., User]
) -> None:
    process = make_process(evidence="register")
    actions.import_register(
        council, "name,dob,postcode\nRiya Resident,01/01/1990,EX1 1AA\n", source="r.csv", by=None
    )
    people = [make_user(), make_user(), make_user()]
    results = _together(
        *[
            lambda p=p: actions.check_eligibility(
                process, p, surname="Resident", born=date(1990, 1, 1), postcode="EX1 1AA"
            )
            for p in people
        ]
    )
    assert sum(isinstance(r, Eligibility) for r in results) == 1
    assert sum(isinstance(r, actions.NotOnRegister) for r in results) == 2
    assert Eligibility.objects.count() == 1
