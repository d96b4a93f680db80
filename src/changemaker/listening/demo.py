"""Exampleton's follow and notify: the demo resident follows a consultation whose results
are out and their ward (weekly), and the notices the other demos published are handed on
and sent (under dev settings the emails are files in var/mail/). The council's commitments:
a parent with weighted children (milestones, a document, updates over months, one delayed),
and updates on the commitments its funded budget ideas became. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from changemaker.core import commitments
from changemaker.core.models import Council, Notice, User, Ward
from changemaker.core.models.commitments import Commitment
from changemaker.core.notices import describe_subject, subject_key
from changemaker.core.validators import CleanDocument
from changemaker.listening import actions, adapter
from changemaker.listening.engine import How
from changemaker.listening.models import Follow

RESIDENT = "resident@exampleton.example"


def load(council: Council) -> list[str]:
    made = _commitments(council)
    if made:  # their changes were announced before anyone followed them: no one to tell
        adapter.dispatch_waiting()
    resident = User.objects.filter(email=RESIDENT).first()
    if resident is None:
        return made
    if not Follow.objects.filter(user=resident, council=council).exists():
        made += _follows(council, resident)
    handed = adapter.dispatch_waiting()
    sent = adapter.send_due()
    if handed["notices"] or sent["sent"]:
        made.append(
            f"notifications: {handed['notices']} notices handed on, {sent['sent']} emails sent"
        )
    return made


def _follows(council: Council, resident: User) -> list[str]:
    made = []
    subjects = {
        key
        for subjects in Notice.objects.filter(council=council).values_list("subjects", flat=True)
        for key in subjects
        if describe_subject(council, key) is not None
    }
    for key in sorted(subjects)[:3]:
        actions.follow(resident, council, key, how=How.AT_ONCE)
        made.append("follow: the demo resident follows a subject")
    ward = Ward.objects.filter(council=council).order_by("name").first()
    if ward is not None:
        actions.follow(resident, council, subject_key(ward), how=How.WEEKLY)
        made.append("follow: the demo resident follows a ward (weekly)")
    return made


PARENT = "Make the town centre safer to walk"
#: title, owner, weight, due (days from today), updates: (days ago, status, progress, text)
CHILDREN = [
    (
        "Brighter LED street lighting on Station Road and Market Street",
        "Highways and street lighting",
        3,
        120,
        [
            (150, "in_progress", 20, "All 140 lamp columns surveyed; 38 need replacing first."),
            (75, "in_progress", 45, "New LED lanterns fitted from the station to the library."),
            (20, "in_progress", 60, "Market Street done; Station Road lamps ordered."),
        ],
    ),
    (
        "A zebra crossing by the bus station on Victoria Street",
        "Highways",
        2,
        200,
        [
            (120, "in_progress", 30, "Design agreed with bus operators after the public notice."),
            (
                30,
                "delayed",
                30,
                "Delayed: the gas network must move a main under the kerb first. Work is now "
                "planned for the autumn.",
            ),
        ],
    ),
    (
        "Dropped kerbs at 12 junctions for wheelchairs and pushchairs",
        "Highways",
        1,
        -30,
        [
            (140, "in_progress", 50, "Six junctions done, chosen with the Access Forum."),
            (45, "done", 100, "All 12 junctions done."),
        ],
    ),
]
#: a small real PDF: the lighting survey summary (milestone document)
SURVEY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 70>>stream\nBT /F1 14 Tf 56 780 Td (Exampleton street lighting survey) Tj ET"
    b"\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _commitments(council: Council) -> list[str]:
    if Commitment.objects.filter(council=council, title=PARENT).exists():
        return []
    today = timezone.localdate()
    parent = commitments.save_commitment(
        Commitment(
            council=council,
            title=PARENT,
            title_cy="Gwneud canol y dref yn fwy diogel i gerdded",
            description="From the 2026 town centre consultation: residents said the walk "
            "from the station to the market feels unsafe after dark.",
            owner="Community safety partnership",
            due=today + timedelta(days=240),
        ),
        by=None,
    )
    for title, owner, weight, due, updates in CHILDREN:
        child = commitments.save_commitment(
            Commitment(
                council=council,
                parent=parent,
                title=title,
                owner=owner,
                weight=weight,
                due=today + timedelta(days=due),
            ),
            by=None,
        )
        for days, status, progress, text in updates:
            at = timezone.now() - timedelta(days=days)
            commitments.add_update(
                child, by=None, text=text, status=status, progress=progress, at=at
            )
    _lighting_milestones(parent.children.order_by("pk").first(), today)
    commitments.save_commitment(
        Commitment(
            council=council,
            title="Reopen the Riverside Park public toilets",
            owner="Parks and open spaces",
            due=today + timedelta(days=150),
        ),
        by=None,
    )
    return ["commitments: 5 of the council's own, one with weighted parts", *_funded(council)]


def _lighting_milestones(lighting: Commitment | None, today: date) -> None:
    if lighting is None:
        return
    survey = commitments.add_milestone(
        lighting,
        by=None,
        title="Survey of the 140 lamp columns",
        due=today - timedelta(days=160),
        done_on=today - timedelta(days=150),
    )
    commitments.attach_document(
        survey, by=None, document=CleanDocument(SURVEY_PDF, "pdf"), name="Lighting survey summary"
    )
    commitments.add_milestone(
        lighting, by=None, title="Station Road lamps replaced", due=today + timedelta(days=60)
    )


def _funded(council: Council) -> list[str]:
    """Updates on the commitments the demo's funded budget ideas became."""
    funded = Commitment.objects.filter(council=council, source__startswith="budgeting.")
    made = []
    for n, commitment in enumerate(funded.order_by("pk")[:3]):
        commitments.add_update(
            commitment,
            by=None,
            text="The council's delivery team has met the residents who proposed it and "
            "agreed a plan.",
            status="in_progress",
            progress=10 + 20 * n,
            at=timezone.now() - timedelta(days=40 - 10 * n),
        )
        made.append("commitments: an update on a funded idea")
    return made
