"""Commitments' pages: who may open them, the officers' journey with plain forms (no
JavaScript), the public list and page, documents served only for published commitments, and
notices to the followers of a commitment and of where it came from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from changemaker.core import commitments
from changemaker.core.models import AuditEvent, Council, Notice, Role, User
from changemaker.core.models.commitments import Commitment, Milestone
from changemaker.core.tests.factories import WardFactory
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.listening import adapter
from changemaker.listening.models import Follow, Notification

from .conftest import HOST

pytestmark = pytest.mark.django_db

MANAGERS = {Role.ENGAGEMENT_OFFICER.value, Role.COUNCIL_ADMIN.value}
#: officers' pages -> the kwargs they need (a commitment "pk", a milestone "milestone")
STAFF_PAGES = {
    "listening:staff-commitments": {},
    "listening:staff-commitment-new": {},
    "listening:staff-commitments-csv": {},
    "listening:staff-commitments-export": {},
    "listening:staff-commitment": {"pk": 0},
    "listening:staff-commitment-edit": {"pk": 0},
    "listening:staff-commitment-update": {"pk": 0},
    "listening:staff-milestone-new": {"pk": 0},
    "listening:staff-milestone-done": {"pk": 0, "milestone": 0},
    "listening:staff-milestone-document": {"pk": 0, "milestone": 0},
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def promise(council: Council) -> Commitment:
    made = commitments.save_commitment(
        Commitment(council=council, title="Resurface the Mill Lane footpath", owner="Highways"),
        by=None,
    )
    commitments.add_milestone(made, by=None, title="Survey", due=date(2027, 3, 1))
    return made


def _url(view: str, promise: Commitment) -> str:
    kwargs = dict(STAFF_PAGES[view])
    if "pk" in kwargs:
        kwargs["pk"] = promise.pk
    if "milestone" in kwargs:
        kwargs["milestone"] = promise.milestones.get().pk
    return reverse(view, kwargs=kwargs)


@pytest.mark.parametrize("view", sorted(STAFF_PAGES))
@pytest.mark.parametrize("who", ALL_ROLES)
def test_role_view_matrix(
    promise: Commitment, client_as: Callable[[str | None], Client], view: str, who: str
) -> None:
    response = client_for(who, client_as).get(_url(view, promise), **HOST)
    assert_allowed_or_refused(response, view, who, MANAGERS)


@pytest.mark.parametrize("who", ALL_ROLES)
def test_public_pages_are_for_everyone(
    promise: Commitment, client_as: Callable[[str | None], Client], who: str
) -> None:
    client = client_for(who, client_as)
    assert client.get(reverse("listening:commitments"), **HOST).status_code == 200
    page = client.get(reverse("listening:commitment", kwargs={"pk": promise.pk}), **HOST)
    assert page.status_code == 200


def test_every_officers_page_is_in_the_matrix() -> None:
    from changemaker.listening.urls import staff_commitments

    assert {f"listening:{p.name}" for p in staff_commitments.urlpatterns} == set(STAFF_PAGES)


def test_an_unpublished_commitment_is_not_shown(council: Council, promise: Commitment) -> None:
    promise.published = False
    commitments.save_commitment(promise, by=None)
    url = reverse("listening:commitment", kwargs={"pk": promise.pk})
    assert Client().get(url, **HOST).status_code == 404
    assert promise.title not in Client().get("/commitments/", **HOST).text


def _officer_flow(officer: Client, ward_pk: int) -> Commitment:
    response = officer.post(
        reverse("listening:staff-commitment-new"),
        {"title": "", "weight": "1"},
        **HOST,
    )
    assert "There is a problem" in response.text and "Say what the council will do" in response.text
    response = officer.post(
        reverse("listening:staff-commitment-new"),
        {
            "title": "Plant 200 street trees in Riverside",
            "title_cy": "Plannu 200 o goed stryd yn Riverside",
            "weight": "1",
            "owner": "Parks and open spaces",
            "ward": str(ward_pk),
            "due": "31/03/2027",
            "published": "on",
            "source_key": f"ward:{ward_pk}",
        },
        **HOST,
    )
    assert response.status_code == 302, response.text
    return Commitment.objects.get(title="Plant 200 street trees in Riverside")


def test_officer_journey_without_javascript_then_the_public_page(
    council: Council, client_as: Callable[[str | None], Client], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # the media view serves files from MEDIA_ROOT
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    ward = WardFactory(council=council, name="Riverside")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    made = _officer_flow(officer, ward.pk)
    assert (made.source, made.due) == (f"ward:{ward.pk}", date(2027, 3, 31))
    url = reverse("listening:staff-commitment-update", kwargs={"pk": made.pk})
    response = officer.post(url, {"status": "in_progress", "progress": "140", "text": "x"}, **HOST)
    assert "Enter progress as a whole number from 0 to 100" in response.text
    officer.post(url, {"status": "in_progress", "progress": "40", "text": "80 planted"}, **HOST)
    officer.post(
        reverse("listening:staff-milestone-new", kwargs={"pk": made.pk}),
        {"title": "Winter planting", "due": "28/02/2027"},
        **HOST,
    )
    milestone = Milestone.objects.get(commitment=made)
    doc_url = reverse(
        "listening:staff-milestone-document", kwargs={"pk": made.pk, "milestone": milestone.pk}
    )
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = officer.post(doc_url, {"document": fake, "name": "Planting plan"}, **HOST)
    assert "The document must be a PDF" in response.text
    pdf = SimpleUploadedFile("plan.pdf", PDF, "application/pdf")
    officer.post(doc_url, {"document": pdf, "name": "Planting plan"}, **HOST)
    officer.post(
        reverse(
            "listening:staff-milestone-done", kwargs={"pk": made.pk, "milestone": milestone.pk}
        ),
        {"done_on": "01/03/2027"},
        **HOST,
    )
    made.refresh_from_db()
    milestone.refresh_from_db()
    assert (made.status, made.progress, milestone.done_on) == ("in_progress", 40, date(2027, 3, 1))
    assert milestone.document.name.endswith(".pdf")

    public = Client()
    listed = public.get("/commitments/?status=in_progress", **HOST).text
    assert "Plant 200 street trees" in listed and "40% done" in listed and "<progress" in listed
    assert "Plant 200" not in public.get("/commitments/?status=done", **HOST).text
    page = public.get(f"/commitments/{made.pk}/", **HOST).text
    for seen in ("80 planted", "Winter planting", "Planting plan", "Parks and open spaces"):
        assert seen in page
    assert "Riverside" in page  # where it came from: the ward, named by core
    served = public.get(milestone.document.url, **HOST)
    assert served.status_code == 200 and served["Content-Disposition"] == "attachment"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"core.commitment_saved", "core.commitment_updated", "core.milestone_done"} <= actions

    made.published = False  # an unpublished commitment's document is refused
    commitments.save_commitment(made, by=None)
    assert public.get(milestone.document.url, **HOST).status_code == 404
    # ...except to those who manage commitments, from the staff page (never cached)
    staff_page = officer.get(
        reverse("listening:staff-commitment", kwargs={"pk": made.pk}), **HOST
    ).text
    assert f'href="{milestone.document.url}"' in staff_page
    served = officer.get(milestone.document.url, **HOST)
    assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
    resident = client_as(Role.RESIDENT)
    assert resident.get(milestone.document.url, **HOST).status_code == 404


def test_followers_of_the_commitment_and_of_its_source_hear_of_a_change(
    council: Council, make_user: Callable[..., User], promise: Commitment
) -> None:
    promise.source = "budgeting.project:7"
    commitments.save_commitment(promise, by=None)
    page = Client().get(f"/commitments/{promise.pk}/", **HOST).text
    assert "Where it came from" not in page  # nothing public names that key here
    fan, idea_fan, stranger = make_user(), make_user(), make_user()
    Follow.objects.create(user=fan, council=council, subject=f"listening.commitment:{promise.pk}")
    Follow.objects.create(user=idea_fan, council=council, subject="budgeting.project:7")
    Follow.objects.create(user=stranger, council=council, subject="budgeting.project:8")

    Notice.objects.all().delete()  # the fixture's milestone was announced
    commitments.add_update(promise, by=None, text="Words only")  # no change: no notice
    assert not Notice.objects.exists()
    commitments.add_update(promise, by=None, text="Started", status="in_progress", progress=10)
    notice = Notice.objects.get()
    assert notice.kind == "listening.commitment_changed"
    adapter.dispatch_waiting()
    heard = set(Notification.objects.values_list("user_id", flat=True))
    assert heard == {fan.pk, idea_fan.pk}
    words = adapter.words(notice)
    assert "Resurface the Mill Lane footpath" in words.subject
    assert "in progress" in words.body and "10%" in words.body
    milestone = promise.milestones.get()
    commitments.complete_milestone(milestone, by=None, done_on=date(2027, 2, 1))
    assert Notice.objects.count() == 2

    promise.published = False  # a hidden commitment tells no one
    commitments.save_commitment(promise, by=None)
    commitments.add_update(promise, by=None, text="Quiet", progress=50)
    assert Notice.objects.count() == 2


def test_follow_button_on_the_page(
    council: Council, make_user: Callable[..., User], promise: Commitment
) -> None:
    from changemaker.core.tests.factories import sign_in

    person = make_user()
    client = sign_in(Client(), person)
    page = client.get(f"/commitments/{promise.pk}/", **HOST).text
    assert f'value="listening.commitment:{promise.pk}"' in page
    client.post(
        "/following/new/",
        {"subject": f"listening.commitment:{promise.pk}", "next": "/commitments/"},
        **HOST,
    )
    assert Follow.objects.filter(user=person).count() == 1
    assert "Resurface the Mill Lane footpath" in client.get("/following/", **HOST).text
