"""Ideas: residents send them with an optional image (checked by content and size, with a
required description), officers take images down. Bad input writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from changemaker.budgeting import actions
from changemaker.budgeting.models import MAX_IDEA_IMAGE_BYTES, Process, Project
from changemaker.core.models import AuditEvent, Role, User
from changemaker.core.tests.pictures import SECRET, jpeg, png

HOST = {"HTTP_HOST": "exampleton.test"}
PNG = png()
JPEG = jpeg()


def _stored() -> list[str]:
    try:
        return list(default_storage.listdir("pb-ideas")[1])
    except FileNotFoundError:
        return []


@pytest.fixture(autouse=True)
def _empty_storage() -> None:
    for name in _stored():
        default_storage.delete(f"pb-ideas/{name}")


def _submit(process: Process, author: User, name: str = "p.png", content: bytes = PNG) -> Project:
    return actions.submit_idea(
        process,
        author=author,
        heading=process.headings.get(),
        title="t",
        description="d",
        rough_cost=5,
        image=SimpleUploadedFile(name, content),
        image_alt="A park",
    )


def _post(client: Client, process: Process, **extra: object) -> str:
    data = {
        "title": "Benches",
        "description": "Somewhere to sit",
        "heading": process.headings.get().pk,
        "rough_cost": "4000",
        **extra,
    }
    response = client.post(reverse("budgeting:idea-new", args=[process.slug]), data, **HOST)
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_idea_with_an_image_is_stored_under_a_random_name_and_shown_with_its_description(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    client = client_as(Role.RESIDENT)
    image = SimpleUploadedFile("Ada Lovelace at 1 High St.jpg", JPEG, content_type="image/jpeg")
    ward = process.council.wards.get()
    where = _post(client, process, image=image, image_alt="A bench by the river", ward=ward.pk)
    project = Project.objects.get(title="Benches")
    assert where.endswith(f"/ideas/{project.code}/")
    assert project.ward == ward and project.image_alt == "A bench by the river"
    name = project.image.name
    assert name.startswith("pb-ideas/") and name.endswith(".jpg")
    assert "Ada" not in name and "High" not in name and len(name) > len("pb-ideas/") + 30
    stored = default_storage.open(name).read()
    assert SECRET not in stored and stored.startswith(b"\xff\xd8")  # metadata gone, a JPEG
    page = client.get(where, **HOST).content.decode()
    assert f'src="{project.image.url}" alt="A bench by the river"' in page
    listed = client.get(reverse("budgeting:ideas", args=[process.slug]), **HOST).content.decode()
    assert 'alt="A bench by the river"' in listed


def test_the_image_type_comes_from_its_content_not_its_name(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="ideas")
    assert _submit(process, make_user(), "photo.jpg").image.name.endswith(".png")


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (PNG + b"\0" * MAX_IDEA_IMAGE_BYTES, "A park", "smaller than 5 MB"),
        (b"<svg onload=alert(1)>", "A park", "PNG or JPEG"),
        (b"GIF89a" + b"\0" * 16, "A park", "PNG or JPEG"),
        (PNG, "  ", "Describe what the picture shows"),
        (PNG[:40], "A park", "The picture file is damaged"),
    ],
    ids=["too big", "script pretending to be an image", "other type", "no description", "cut"],
)
def test_bad_image_gets_a_clear_error_and_nothing_is_written(
    upload: bytes,
    alt: str,
    message: str,
    make_process: Callable[..., Process],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(phase="ideas")
    page = _post(
        client_as(Role.RESIDENT),
        process,
        image=SimpleUploadedFile("pic.png", upload, content_type="image/png"),
        image_alt=alt,
    )
    assert "There is a problem" in page and message in page
    assert "Choose it again" in page
    assert not Project.objects.filter(title="Benches").exists()
    assert _stored() == []
    assert not AuditEvent.objects.filter(action="pb.idea_submitted").exists()


def test_the_form_is_multipart_and_the_image_optional(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    client = client_as(Role.RESIDENT)
    page = client.get(reverse("budgeting:idea-new", args=[process.slug]), **HOST).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and "govuk-file-upload" in page
    _post(client, process, image_alt="ignored without an image")
    project = Project.objects.get(title="Benches")
    assert not project.image and project.image_alt == ""


def test_an_action_refusal_after_the_form_leaves_no_file(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="review")  # ideas have closed
    with pytest.raises(actions.ActionRefused, match="not open"):
        _submit(process, make_user())
    assert _stored() == [] and not Project.objects.filter(title="t").exists()


def test_officer_removes_an_image_and_it_is_audited(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    process = make_process(phase="ideas")
    project = _submit(process, make_user())
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    review = reverse("budgeting:staff-review", args=[process.slug, project.code])
    assert "Remove the image" in officer.get(review, **HOST).content.decode()
    url = reverse("budgeting:staff-remove-image", args=[process.slug, project.code])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = officer.post(url, **HOST)
    assert response["Location"] == review and callbacks
    project.refresh_from_db()
    assert not project.image and project.image_alt == ""
    assert _stored() == []
    event = AuditEvent.objects.get(action="pb.idea_image_removed")
    assert "p.png" not in str(event.__dict__)
    again = officer.post(url, follow=True, **HOST).content.decode()
    assert "This idea has no image" in again


def test_deleting_ideas_deletes_their_images(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    process = make_process(phase="ideas")
    author = make_user()
    first, second = _submit(process, author), _submit(process, author, "q.jpg", JPEG)
    assert len(_stored()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert _stored() == [second.image.name.rsplit("/", 1)[-1]]
    with django_capture_on_commit_callbacks(execute=True):
        process.projects.all().delete()  # a bulk delete (a budget's ideas go before it can)
    assert _stored() == []
