"""Fixtures shared by every test: councils, people with roles, a signed-in client."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from pytest_django import DjangoDbBlocker

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import CouncilFactory, UserFactory, sign_in


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Every test starts and ends in the site's language: a test that reads a page in Welsh (a
    request with the language cookie, a job or an email in the reader's language) must not
    leave Welsh active for the next test in the same worker (which then read "llai na 10")."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def council(db: None) -> Council:
    return CouncilFactory(
        name="Exampleton Borough Council",
        slug="exampleton",
        is_default=True,
        domain="exampleton.test",
    )


@pytest.fixture
def make_user(db: None, council: Council) -> Callable[..., User]:
    def make(role: str | None = Role.RESIDENT, **kwargs: object) -> User:
        user: User = UserFactory(**kwargs)
        if role is not None:
            user.role_assignments.create(
                role=role, council=None if role == Role.PLATFORM_ADMIN else council
            )
        return user

    return make


@pytest.fixture
def client_as(make_user: Callable[..., User]) -> Callable[[str | None], Client]:
    """A test client signed in with the given role (None: signed in with no role); roles that
    see personal data have set up two-factor sign-in and given a code."""

    def signed_in(role: str | None) -> Client:
        return sign_in(Client(), make_user(role))

    return signed_in


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """pytest-django's test database, with one step more before it is dropped: on PostgreSQL,
    end the other sessions still open on it.

    The browser tests leave an idle session behind (a connection opened while Playwright's sync
    API drives the thread, which pytest-django does not close), and DROP DATABASE refuses while
    it is open: the run then ends with "database ... is being accessed by other users"
    (pytest-django issue #429).
    """
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
