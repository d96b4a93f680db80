from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from changemaker.core.models import Council, Notice
from changemaker.core.notices import publish

HOST = {"HTTP_HOST": "exampleton.test"}
#: a kind another capability declares (consultations): the words need a slug and a question
KIND = "consultations.results"


class FailingBackend:
    """A mail backend whose server is down: every send raises."""

    calls = 0

    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        FailingBackend.calls += 1
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def notice(council: Council) -> Callable[..., Notice]:
    def make(
        subjects: Iterable[str] = (),
        recipients: Iterable[int] = (),
        question: str = "What next for the park?",
    ) -> Notice:
        return publish(
            KIND,
            council=council,
            subjects=subjects,
            recipients=recipients,
            slug="park",
            question=question,
        )

    return make
