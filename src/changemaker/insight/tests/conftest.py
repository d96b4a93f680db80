"""Fixtures of the shared view of need, for the data-governance and the people sides:
a data officer and a practitioner, an agreement, a dataset, and a published linkage run
with a few people (built by the real upload and linkage code)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.insight import actions, adapter
from changemaker.insight.models import Dataset, DataSharingAgreement, LinkRun, Purpose
from changemaker.insight.tests.factories import (
    CSV_HEADER,
    make_agreement,
    make_dataset,
    make_purpose,
)

HOST = {"HTTP_HOST": "exampleton.test"}

#: Five rows: three good ones, one with a date that does not exist (kept, the date treated as
#: missing and reported), one repeating a reference already used (kept aside). Names are
#: fictional.
SAMPLE_CSV = CSV_HEADER + (
    "CT1,Ada,Quillfeather,1985-12-10,EX1 1AA,1 Mill Road,750.00\n"
    "CT2,Byron,Quillfeather,2014-05-01,EX1 1AA,1 Mill Road,\n"
    "CT3,Charlotte,Fenwhistle,31/02/1970,EX3 4BB,2 Oak Lane,10\n"
    "CT1,Ada,Quillfeather,1985-12-10,EX1 1AA,1 Mill Road,5\n"
    "CT4,Dora,Fenwhistle,02/01/2012,EX3 4BB,2 Oak Lane,0\n"
)


@pytest.fixture
def data_officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.DATA_OFFICER)


@pytest.fixture
def practitioner(make_user: Callable[..., User]) -> User:
    return make_user(Role.PRACTITIONER)


def _client(user: User) -> Client:
    client = Client(**HOST)
    sign_in(client, user)
    return client


@pytest.fixture
def officer_client(data_officer: User) -> Client:
    return _client(data_officer)


@pytest.fixture
def practitioner_client(practitioner: User) -> Client:
    return _client(practitioner)


@pytest.fixture
def purpose(council: Council) -> Purpose:
    return make_purpose(council)


@pytest.fixture
def agreement(council: Council, purpose: Purpose) -> DataSharingAgreement:
    return make_agreement(council, "DSA-CT", [purpose])


@pytest.fixture
def dataset(council: Council, agreement: DataSharingAgreement) -> Dataset:
    return make_dataset(council, "council-tax", agreement)


@pytest.fixture
def publish_csv(data_officer: User) -> Callable[[Dataset, str], None]:
    """Validate and publish a CSV for a dataset, as the data officer would."""

    def publish(dataset: Dataset, text: str) -> None:
        upload = adapter.validate_upload(
            dataset, by=data_officer, name="file.csv", stream=io.BytesIO(text.encode())
        )
        actions.publish_upload(upload, by=data_officer)

    return publish


@pytest.fixture
def published_run(
    council: Council,
    dataset: Dataset,
    data_officer: User,
    publish_csv: Callable[[Dataset, str], None],
) -> LinkRun:
    """One current run over SAMPLE_CSV (four records accepted, one quarantined), linked
    synchronously with the engine's built-in model."""
    publish_csv(dataset, SAMPLE_CSV)
    run = LinkRun.objects.create(council=council, started_by=data_officer)
    return adapter.link(run)
