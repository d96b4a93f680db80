"""Every role, signed out and signed in with no role, against every data-officer page:
only early-help data officers may manage agreements, datasets, uploads and runs."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core.models import Role, User
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    _named_patterns,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.insight import adapter
from changemaker.insight.models import Dataset, LinkRun
from changemaker.insight.tests.conftest import HOST, SAMPLE_CSV

pytestmark = pytest.mark.django_db

ALLOWED = {Role.DATA_OFFICER}
#: view name -> (method, what its argument is)
DATA_VIEWS: dict[str, tuple[str, str | None]] = {
    "insight:agreements": ("get", None),
    "insight:agreement-new": ("get", None),
    "insight:agreement-edit": ("get", "agreement"),
    "insight:purpose-new": ("get", None),
    "insight:purpose-edit": ("get", "purpose"),
    "insight:datasets": ("get", None),
    "insight:dataset-new": ("get", None),
    "insight:dataset": ("get", "dataset"),
    "insight:dataset-edit": ("get", "dataset"),
    "insight:dataset-mapping": ("get", "dataset"),
    "insight:dataset-upload": ("get", "dataset"),
    "insight:upload": ("get", "upload"),
    "insight:upload-publish": ("post", "upload"),
    "insight:upload-discard": ("post", "upload"),
    "insight:upload-quarantine": ("get", "upload"),
    "insight:gazetteer": ("get", None),
    "insight:runs": ("get", None),
    "insight:run": ("get", "run"),
    "insight:processing": ("get", None),
}


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(DATA_VIEWS))
def test_data_views(
    view: str,
    who: str,
    dataset: Dataset,
    data_officer: User,
    client_as: Callable[[str | None], Client],
) -> None:
    upload = adapter.validate_upload(
        dataset, by=data_officer, name="f.csv", stream=io.BytesIO(SAMPLE_CSV.encode())
    )
    run = LinkRun.objects.create(council=dataset.council, status=LinkRun.Status.PUBLISHED)
    objects = {
        "agreement": dataset.agreement.pk,
        "purpose": dataset.agreement.purposes.get().pk,
        "dataset": dataset.pk,
        "upload": upload.pk,
        "run": run.pk,
    }
    method, arg = DATA_VIEWS[view]
    url = reverse(view, args=[] if arg is None else [objects[arg]])
    response = getattr(client_for(who, client_as), method)(url, **HOST)
    assert_allowed_or_refused(response, view, who, ALLOWED)
    upload.refresh_from_db()
    if who not in ALLOWED:
        assert upload.status == "validated"  # refused people change nothing


def test_every_data_view_is_covered() -> None:
    from django.urls import get_resolver

    from changemaker.insight.views import staff_data as views_data

    protected = {
        name
        for name, view in _named_patterns(get_resolver())
        if hasattr(view, "permission") and getattr(view, "__module__", "") == views_data.__name__
    }
    assert protected == set(DATA_VIEWS)
