"""Fixtures shared by every test: councils, people with roles, a signed-in client."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import CouncilFactory, UserFactory


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
    """A test client signed in with the given role (None: signed in with no role)."""

    def sign_in(role: str | None) -> Client:
        client = Client()
        client.force_login(make_user(role), backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
