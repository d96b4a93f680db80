"""A bounded load test against a live server (localhost only), part of every run.

1. 550 anonymous consultation votes, concurrently, from five addresses (behind one trusted
   proxy, so X-Forwarded-For names the client) and 110 participants with throttling on: each
   address gets exactly 20 new participants, so 500 votes are stored and exactly 50 requests are
   refused with 429; one more participant votes 35 times and exactly 30 are accepted.
2. 200 concurrent participatory-budget voters, each with a voting code from the budgeting
   actions, redeem it and cast a ballot: 200 ballots, one per code, none lost.

No 500 anywhere. Standard library HTTP (http.client) in a thread pool.
"""

from __future__ import annotations

import http.client
import secrets
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from changemaker.budgeting import actions as pb_actions
from changemaker.budgeting.models import Ballot, Process
from changemaker.budgeting.tests.conftest import make_process  # noqa: F401 (fixture)
from changemaker.consultations import actions as c_actions
from changemaker.consultations.models import Participant, Vote
from changemaker.core.models import Council, Role

pytestmark = pytest.mark.load

HOST = "exampleton.test"
ADDRESSES = [f"198.51.100.{n}" for n in range(1, 6)]
PER_ADDRESS = 22  # 20 admitted (the default limit), 2 refused
STATEMENTS = 5
WORKERS = 8


class Browser:
    """One person's cookies, posting forms with a CSRF token as a browser would."""

    def __init__(self, port: int, forwarded_for: str = "") -> None:
        self.port = port
        self.forwarded_for = forwarded_for
        self.cookies = {"csrftoken": secrets.token_hex(16)}

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str]:
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", self.cookies["csrftoken"]), *fields])
        headers = {
            "Host": HOST,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if self.forwarded_for:
            headers["X-Forwarded-For"] = f"10.0.0.1, {self.forwarded_for}"
        for attempt in range(5):
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                connection.connect()
            except ConnectionRefusedError:  # the listen queue is full: nothing was sent yet
                connection.close()
                time.sleep(0.1 * (attempt + 1))
                continue
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                for name, value in response.getheaders():
                    if name.lower() == "set-cookie":
                        key, _eq, rest = value.partition("=")
                        self.cookies[key.strip()] = rest.split(";", 1)[0]
                return response.status, response.getheader("Location") or ""
            finally:
                connection.close()
        raise AssertionError(f"the server refused connections to {path}")


@pytest.mark.django_db(transaction=True)
@override_settings(
    CHANGEMAKER_TRUSTED_PROXY_COUNT=1,
    # a window longer than the test, so that the count cannot restart half-way
    CHANGEMAKER_THROTTLES={"consultation.vote": "30/hour"},
)
def test_anonymous_votes_under_load(council: Council, live_server: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    officer = get_user_model().objects.create_user(email="officer@example.org", password=None)
    officer.role_assignments.create(role=Role.ENGAGEMENT_OFFICER, council=council)
    now = timezone.now()
    c = c_actions.create_consultation(
        council,
        by=officer,
        slug="load",
        question="Load",
        background="",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        moderation="after",
        audience="anyone",
        seeds=[f"Statement {n}" for n in range(STATEMENTS)],
    )
    path = reverse("consultations:vote", args=[c.slug])
    port = int(live_server.url.rsplit(":", 1)[1])

    def participate(browser: Browser) -> list[int]:
        return [
            browser.post(path, [("statement", str(n)), ("vote", ("agree", "disagree")[n % 2])])[0]
            for n in range(STATEMENTS)
        ]

    def eager(browser: Browser) -> list[int]:
        votes = [("agree", "disagree", "pass")[n % 3] for n in range(35)]
        return [
            browser.post(path, [("statement", str(n % STATEMENTS)), ("vote", v)])[0]
            for n, v in enumerate(votes)
        ]

    browsers = [Browser(port, a) for a in ADDRESSES for _ in range(PER_ADDRESS)]
    keen = Browser(port, "203.0.113.77")
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        keen_codes = pool.submit(eager, keen)
        results = list(pool.map(participate, browsers))
    statuses = Counter(code for codes in results for code in codes)
    assert statuses == {302: 500, 429: 50}, statuses  # no 500, nothing else
    for a in ADDRESSES:
        admitted = [r for b, r in zip(browsers, results, strict=True) if b.forwarded_for == a]
        assert sorted(r[0] for r in admitted) == [302] * 20 + [429] * 2
        assert all(len(set(r)) == 1 for r in admitted)  # refused once, refused every time
    assert Counter(keen_codes.result()) == {302: 30, 429: 5}
    assert Participant.objects.filter(consultation=c).count() == 101
    per_participant = Counter(
        dict(
            Vote.objects.filter(statement__consultation=c)
            .values_list("participant")
            .annotate(n=Count("id"))
        ).values()
    )
    assert per_participant == {STATEMENTS: 101}  # every vote stored once, none lost


@pytest.mark.django_db(transaction=True)
def test_two_hundred_code_voters_under_load(
    make_process: Callable[..., Process],  # noqa: F811 (the imported fixture)
    live_server: Any,
) -> None:
    process = make_process(costs=(3000, 3000, 3000))
    heading = process.headings.get()
    officer = get_user_model().objects.create_user(email="pb@example.org", password=None)
    codes = pb_actions.issue_codes(process, count=200, by=officer)
    port = int(live_server.url.rsplit(":", 1)[1])
    code_path = reverse("budgeting:vote-code", args=[process.slug])
    choices = [["P1"], ["P2"], ["P1", "P2"], ["P3"]]

    def vote(n: int) -> tuple[int, int]:
        browser = Browser(port)
        status, location = browser.post(code_path, [("code", codes[n])])
        if status != 302:
            return status, 0
        ballot = urllib.parse.urlsplit(location).path
        return status, browser.post(ballot, [("project", p) for p in choices[n % 4]])[0]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(vote, range(len(codes))))
    assert statuses == [(302, 200)] * len(codes)
    ballots = Ballot.objects.filter(heading=heading)
    assert ballots.count() == 200
    assert ballots.values("code").distinct().count() == 200  # one per code
    chosen = Counter(
        tuple(sorted(b.marks.values_list("project__code", flat=True)))
        for b in ballots.prefetch_related("marks")
    )
    assert chosen == {("P1",): 50, ("P2",): 50, ("P1", "P2"): 50, ("P3",): 50}
