"""200 real concurrent requests: every voter votes and changes their ballot at the same time.
Nothing is lost and no ballot is duplicated (on SQLite locally, on PostgreSQL in CI)."""

from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from changemaker.budgeting.models import Ballot, Eligibility, Mark, Process
from changemaker.core.models import User

VOTERS = 100
CHOICES = [["P1"], ["P2"], ["P1", "P2"], ["P3"]]


def _session_for(user: User, process: Process) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def _post(url: str, session_key: str, projects: list[str]) -> int:
    token = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and field
    body = urllib.parse.urlencode(
        [("csrfmiddlewaretoken", token), *[("project", p) for p in projects]]
    ).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - localhost
    request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}; csrftoken={token}")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    for attempt in range(5):
        try:
            with opener.open(request, timeout=120) as response:
                return int(response.status)
        except (ConnectionResetError, ConnectionRefusedError, urllib.error.URLError):
            # The test server's listen queue is short (5); a browser would retry the same
            # ballot, which is safe: casting the same ballot twice leaves one ballot.
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_votes_lose_nothing(
    make_process: Callable[..., Process], make_user: Callable[..., User], live_server: Any
) -> None:
    process = make_process(costs=(3000, 3000, 3000))
    heading = process.headings.get()
    url = live_server.url + reverse("budgeting:ballot", args=[process.slug, heading.pk])
    voters = [make_user(email=f"voter{n}@example.org") for n in range(VOTERS)]
    for user in voters:
        Eligibility.objects.create(process=process, user=user, evidence="self")
    sessions = [_session_for(user, process) for user in voters]
    jobs = []
    for n, key in enumerate(sessions):  # each voter's first ballot and its change, together
        jobs.append((key, CHOICES[n % 4]))
        jobs.append((key, CHOICES[(n + 1) % 4]))
    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(lambda job: _post(url, *job), jobs))
    assert statuses == [200] * len(jobs)
    assert Ballot.objects.filter(heading=heading).count() == VOTERS
    for n, user in enumerate(voters):
        marks = sorted(
            Mark.objects.filter(ballot__voter=user).values_list("project__code", flat=True)
        )
        assert marks in (sorted(CHOICES[n % 4]), sorted(CHOICES[(n + 1) % 4])), (n, marks)
