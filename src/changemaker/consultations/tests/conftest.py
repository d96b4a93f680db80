from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from changemaker.consultations import actions
from changemaker.consultations.models import Consultation
from changemaker.core.models import Council, Role, User


@pytest.fixture
def make_consultation(
    council: Council, make_user: Callable[..., User]
) -> Callable[..., Consultation]:
    def make(open_: bool = True, **kwargs: object) -> Consultation:
        now = timezone.now()
        params: dict[str, object] = {
            "slug": f"c{Consultation.objects.count()}",
            "question": "What next?",
            "background": "",
            "moderation": "after",
            "audience": "anyone",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=1) if open_ else now - timedelta(hours=1),
            "seeds": ["First statement", "Second statement", "Third statement"],
        }
        params.update(kwargs)
        return actions.create_consultation(council, by=make_user(Role.ENGAGEMENT_OFFICER), **params)  # type: ignore[arg-type]

    return make
