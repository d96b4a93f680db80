"""Every write in consultations, each an action (``core.audit.action``): one transaction and
an audit event. Views call these; reads are in ``selectors``, the engine in ``adapter``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.consultations import notices, selectors
from changemaker.consultations.engine import PolisFormatError
from changemaker.consultations.errors import ConsultationError
from changemaker.consultations.models import (
    MAX_STATEMENT,
    Consultation,
    OpinionSnapshot,
    Participant,
    Report,
    Statement,
    Vote,
)
from changemaker.core import audit
from changemaker.core.actions import start_job
from changemaker.core.audit import action
from changemaker.core.models import Council, Job, User
from changemaker.core.notices import publish, subject_key

MAP_DELAY = timedelta(seconds=10)  # debounce: votes in the next 10 s join the same run
STATEMENTS_PER_HOUR = 5

POLIS_IMPORT_FILES = ("comments.csv", "votes.csv", "participants-votes.csv")
"""The files of a Polis export the import reads (the matrix also as ``participant-votes.csv``)."""


@action("consultation.created")
def create_consultation(
    council: Council,
    *,
    by: User,
    slug: str,
    question: str,
    background: str,
    opens_at: datetime,
    closes_at: datetime,
    moderation: str,
    audience: str,
    seeds: Iterable[str] = (),
    min_participants: int | None = None,
    question_cy: str = "",
    background_cy: str = "",
    seeds_cy: Iterable[str] = (),
) -> Consultation:
    """A new consultation; ``min_participants`` (default: the install's setting) is how many
    people must have voted before its map is shown. The Welsh (``*_cy``, optional) goes with
    the English: ``seeds_cy`` line by line with ``seeds``."""
    extra = {} if min_participants is None else {"min_participants": min_participants}
    consultation = Consultation.objects.create(
        council=council,
        slug=slug,
        question=question.strip(),
        question_cy=question_cy.strip(),
        background=background.strip(),
        background_cy=background_cy.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        moderation=moderation,
        audience=audience,
        created_by=by,
        **extra,
    )
    welsh = [t.strip() for t in seeds_cy if t.strip()]
    for n, text in enumerate((t.strip() for t in seeds if t.strip()), start=0):
        Statement.objects.create(
            consultation=consultation,
            number=n,
            text=text[:MAX_STATEMENT],
            text_cy=welsh[n][:MAX_STATEMENT] if n < len(welsh) else "",
            status=Statement.Status.PUBLISHED,
            is_seed=True,
        )
    audit.record("consultation.created", actor=by, council=council, obj=consultation)
    return consultation


@action("consultation.joined")
def participant_for(
    consultation: Consultation, *, user: User | None = None, token: str = ""
) -> Participant:
    """The participant for a signed-in person or a browser, created on first use."""
    if user is not None and user.is_authenticated:
        key: dict[str, object] = {"user": user}
    elif token:
        key = {"browser_key": selectors.browser_key(token)}
    else:
        raise ConsultationError(_("We could not tell who you are. Turn on cookies and try again."))
    participant, new = _find_or_join(consultation, key)
    audit.record(
        "consultation.joined",
        actor=user,
        council=consultation.council,
        obj=participant,
        new=new,
    )
    return participant


def _find_or_join(consultation: Consultation, key: dict[str, object]) -> tuple[Participant, bool]:
    found = Participant.objects.filter(consultation=consultation, **key).first()
    if found:
        return found, False
    for _attempt in range(5):
        try:
            with transaction.atomic():
                # One newcomer at a time per consultation takes the next number: under load
                # "highest + 1" collided again and again (PostgreSQL, read committed), and the
                # person was told to try again after the throttle had counted them.
                Consultation.objects.select_for_update().only("pk").get(pk=consultation.pk)
                found = Participant.objects.filter(consultation=consultation, **key).first()
                if found:
                    return found, False
                top = consultation.participants.aggregate(m=Max("number"))["m"]
                joined = Participant.objects.create(
                    consultation=consultation, number=0 if top is None else top + 1, **key
                )
                return joined, True
        except IntegrityError:
            continue  # the same browser joined twice at the same moment: read it again
    raise ConsultationError(_("Too many people are joining at once. Try again."))


@action("consultation.voted")
def cast_vote(participant: Participant, statement: Statement, value: int) -> Vote:
    """Record (or change) a vote. The audit event names the statement but not the person nor
    the vote: how someone voted is their opinion."""
    consultation = participant.consultation
    if value not in (-1, 0, 1):
        raise ConsultationError(_("Choose agree, disagree or pass."))
    if statement.consultation_id != consultation.pk or (
        statement.status != Statement.Status.PUBLISHED
    ):
        raise ConsultationError(_("That statement is not part of this consultation."))
    if not consultation.is_open:
        raise ConsultationError(_("This consultation is closed. Nothing was saved."))
    vote, _created = Vote.objects.update_or_create(
        participant=participant,
        statement=statement,
        defaults={"value": value, "voted_at": timezone.now()},
    )
    audit.record("consultation.voted", council=consultation.council, obj=statement)
    _request_map(consultation)
    return vote


@action("consultation.sample_votes_added")
def add_sample_votes(
    consultation: Consultation, people: Sequence[Mapping[int, int]], *, by: User | None = None
) -> int:
    """The demo's sample of people taking part: one participant per mapping of statement
    number to vote (+1, -1, 0), with no account and no browser, like an imported one. Only
    published statements; all or nothing. Returns how many votes were added."""
    shown = {s.number: s for s in consultation.statements.filter(status=Statement.Status.PUBLISHED)}
    if any(n not in shown or v not in (-1, 0, 1) for votes in people for n, v in votes.items()):
        raise ConsultationError(_("A sample vote is on a statement that is not shown."))
    Consultation.objects.select_for_update().only("pk").get(pk=consultation.pk)
    top = consultation.participants.aggregate(m=Max("number"))["m"]
    first = 0 if top is None else top + 1
    joined = Participant.objects.bulk_create(
        [Participant(consultation=consultation, number=first + i) for i in range(len(people))]
    )
    votes = [
        Vote(participant=p, statement=shown[n], value=v, voted_at=timezone.now())
        for p, person in zip(joined, people, strict=True)
        for n, v in person.items()
    ]
    Vote.objects.bulk_create(votes)
    audit.record("consultation.sample_votes_added", actor=by, council=consultation.council,
                 obj=consultation, people=len(people), votes=len(votes))  # fmt: skip
    return len(votes)


@action("consultation.statement_added")
def add_statement(participant: Participant, text: str) -> Statement:
    """Add a participant's statement (audited without its text: it may name people)."""
    consultation = participant.consultation
    text = " ".join(text.split())
    if not text:
        raise ConsultationError(_("Write your statement"))
    if len(text) > MAX_STATEMENT:
        raise ConsultationError(
            _("Your statement must be %(n)s characters or fewer") % {"n": MAX_STATEMENT}
        )
    recent = participant.statements.filter(created_at__gte=timezone.now() - timedelta(hours=1))
    if recent.count() >= STATEMENTS_PER_HOUR:
        raise ConsultationError(
            _(
                "You have added %(n)s statements in the last hour. Vote on others, then try again "
                "later."
            )
            % {"n": STATEMENTS_PER_HOUR}
        )
    if consultation.statements.filter(text__iexact=text).exists():
        raise ConsultationError(
            _("Someone has already written this statement. Vote on it instead.")
        )
    status = (
        Statement.Status.PENDING
        if consultation.moderation == Consultation.Moderation.BEFORE
        else Statement.Status.PUBLISHED
    )
    statement = _numbered_statement(consultation, participant, text, status)
    audit.record(
        "consultation.statement_added",
        actor=participant.user,
        council=consultation.council,
        obj=statement,
        status=statement.status,
    )
    return statement


def _numbered_statement(
    consultation: Consultation, participant: Participant | None, text: str, status: str
) -> Statement:
    """Create the statement with the next number (retried when two arrive at once)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                top = consultation.statements.aggregate(m=Max("number"))["m"]
                return Statement.objects.create(
                    consultation=consultation,
                    number=0 if top is None else top + 1,
                    text=text,
                    author=participant,
                    status=status,
                )
        except IntegrityError:
            continue
    raise ConsultationError(_("Too many statements are arriving at once. Try again."))


@action("consultation.statement_seeded")
def add_seed_statement(
    consultation: Consultation, *, by: User, text: str, source: str = "", count: int = 0
) -> Statement:
    """A statement staff start a conversation with (from a theme of residents' stories):
    published at once, authored by no participant. Audited without its text; ``source`` is
    where it came from (a followable key), ``count`` how many stories it stands for."""
    text = " ".join(text.split())
    if not text:
        raise ConsultationError(_("Write the statement"))
    if len(text) > MAX_STATEMENT:
        raise ConsultationError(
            _("The statement must be %(n)s characters or fewer") % {"n": MAX_STATEMENT}
        )
    if not consultation.is_open:
        raise ConsultationError(_("This consultation is not open."))
    if consultation.statements.filter(text__iexact=text).exists():
        raise ConsultationError(_("This consultation already has this statement."))
    statement = _numbered_statement(consultation, None, text, Statement.Status.PUBLISHED)
    statement.is_seed = True
    statement.save(update_fields=["is_seed"])
    audit.record(
        "consultation.statement_seeded",
        actor=by,
        council=consultation.council,
        obj=statement,
        source=source,
        count=count,
    )
    return statement


@action("consultation.statement_reported")
def report_statement(statement: Statement, participant: Participant, reason: str) -> bool:
    """Report a statement to the moderators, once per participant (False: reported before).
    Audited without the reason: it may quote the statement or name people."""
    reason = reason.strip()[:200] or _("No reason given")
    try:
        with transaction.atomic():
            Report.objects.create(statement=statement, participant=participant, reason=reason)
    except IntegrityError:
        stored = False
    else:
        stored = True
    audit.record(
        "consultation.statement_reported",
        actor=participant.user,
        council=statement.consultation.council,
        obj=statement,
        repeated=not stored,
    )
    return stored


@action("consultation.moderated")
def moderate(statement: Statement, *, by: User, publish: bool, reason: str = "") -> Statement:
    if not publish and not reason.strip():
        raise ConsultationError(_("Give the reason for removing the statement"))
    statement.status = Statement.Status.PUBLISHED if publish else Statement.Status.REJECTED
    statement.moderation_reason = reason.strip()[:200]
    statement.save(update_fields=["status", "moderation_reason"])
    audit.record(
        "consultation.moderated",
        actor=by,
        council=statement.consultation.council,
        obj=statement,
        decision=statement.status,
    )
    _tell_author(statement)
    _request_map(statement.consultation)
    return statement


@action("consultation.translated")
def translate(
    consultation: Consultation,
    *,
    by: User,
    question_cy: str,
    background_cy: str,
    statements_cy: Mapping[int, str],
) -> Consultation:
    """The Welsh version of a consultation and of the statements people see (seed statements
    and residents' alike). Audited with what changed, never the words."""
    welsh = {"question_cy": question_cy.strip(), "background_cy": background_cy.strip()}
    changed = [name for name, value in welsh.items() if getattr(consultation, name) != value]
    for name, value in welsh.items():
        setattr(consultation, name, value)
    consultation.save(update_fields=list(welsh))
    statements = 0
    for statement in consultation.statements.filter(number__in=list(statements_cy)):
        value = statements_cy[statement.number].strip()[:MAX_STATEMENT]
        if statement.text_cy != value:
            statement.text_cy = value
            statement.save(update_fields=["text_cy"])
            statements += 1
    audit.record("consultation.translated", actor=by, council=consultation.council,
                 obj=consultation, changed=changed, statements=statements)  # fmt: skip
    return consultation


@action("consultation.invited")
def invite(consultation: Consultation, emails: Iterable[str], *, by: User) -> list[str]:
    """Invite people with accounts; returns the addresses that have no account yet."""
    wanted = {e.strip().lower() for e in emails if e.strip()}
    found = list(User.objects.filter(email__in=wanted))
    consultation.invited.add(*found)
    audit.record(
        "consultation.invited",
        actor=by,
        council=consultation.council,
        obj=consultation,
        count=len(found),
    )
    return sorted(wanted - {u.email for u in found})


@action("consultation.map_requested")
def request_map(consultation: Consultation) -> Job | None:
    """Ask for the map to be recomputed soon. At most one run waits at a time (debounce)."""
    return _request_map(consultation)


def _request_map(consultation: Consultation) -> Job | None:
    waiting = Job.objects.filter(
        kind="consultations.map", params__consultation=consultation.pk, status=Job.Status.QUEUED
    ).exists()
    if waiting:
        return None
    return start_job(
        "consultations.map",
        title=_("Opinion map: %(slug)s") % {"slug": consultation.slug},
        params={"consultation": consultation.pk},
        council=consultation.council,
        delay=MAP_DELAY,
    )


@action("consultation.mapped")
def save_map(
    consultation: Consultation,
    *,
    votes: int,
    result: dict[str, Any],
    warm_state: dict[str, Any] | None,
) -> OpinionSnapshot:
    """Store a map the engine made (``adapter.compute_map``)."""
    snapshot = OpinionSnapshot.objects.create(
        consultation=consultation, votes=votes, result=result, warm_state=warm_state
    )
    audit.record("consultation.mapped", council=consultation.council, obj=consultation, votes=votes)
    if timezone.now() >= consultation.closes_at:
        _announce_results(consultation)
    return snapshot


def _tell_author(statement: Statement) -> None:
    """The statement's author (signed in when they wrote it) hears it was checked, and why."""
    author = statement.author
    if author is None or author.user_id is None:
        return
    consultation = statement.consultation
    publish(
        notices.STATEMENT_CHECKED,
        council=consultation.council,
        recipients=[author.user_id],
        slug=consultation.slug,
        question=consultation.question,
        question_cy=consultation.question_cy,
        text=statement.text,
        published=statement.status == Statement.Status.PUBLISHED,
        reason=statement.moderation_reason,
    )


def _announce_results(consultation: Consultation) -> None:
    """The first map after closing: its results are out (once), to those who took part
    signed in and those who follow it."""
    people = consultation.participants.filter(user__isnull=False).values_list("user_id", flat=True)
    publish(
        notices.RESULTS,
        council=consultation.council,
        subjects=[subject_key(consultation)],
        recipients=list(people),
        key=f"{notices.RESULTS}:{consultation.pk}",
        slug=consultation.slug,
        question=consultation.question,
        question_cy=consultation.question_cy,
    )


@action("consultation.exported")
def record_staff_export(consultation: Consultation, *, by: User, statements: int) -> None:
    """Audit a staff export with every statement (``adapter.export_polis``)."""
    audit.record(
        "consultation.exported",
        actor=by,
        council=consultation.council,
        obj=consultation,
        reason="staff export with statements removed or waiting for moderation",
        statements=statements,
    )


@dataclass(frozen=True, slots=True)
class ImportedStatement:
    """A statement of a Polis export, as ``adapter.save_polis_import`` passes it."""

    number: int
    text: str
    author: int | None  # participant number
    status: str
    is_meta: bool
    is_seed: bool


@dataclass(frozen=True, slots=True)
class ImportedVote:
    """A latest vote of a Polis export (``voted_at`` None: the export has no time)."""

    participant: int
    statement: int
    value: int
    voted_at: datetime | None


@action("consultation.imported")
def save_polis_import(
    council: Council,
    *,
    participants: Sequence[int],
    statements: Sequence[ImportedStatement],
    votes: Sequence[ImportedVote],
    slug: str,
    question: str,
    by: User | None = None,
    source: str = "Polis export",
) -> Consultation:
    """Write a parsed Polis export as a closed consultation: all of it or, on error, nothing."""
    if selectors.slug_taken(council, slug):
        raise ConsultationError(_("A consultation with this short name already exists"))
    now = timezone.now()
    consultation = Consultation.objects.create(
        council=council,
        slug=slug,
        question=question,
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        source=source,
        created_by=by,
        background=_("Imported from %(source)s.") % {"source": source},
    )
    Participant.objects.bulk_create(
        [Participant(consultation=consultation, number=n) for n in participants]
    )
    stored = {p.number: p for p in consultation.participants.all()}
    Statement.objects.bulk_create(
        [
            Statement(
                consultation=consultation,
                number=s.number,
                text=s.text[:MAX_STATEMENT] or "-",
                author=stored.get(s.author) if s.author is not None else None,
                status=s.status,
                is_meta=s.is_meta,
                is_seed=s.is_seed,
            )
            for s in statements
        ]
    )
    by_number = {s.number: s for s in consultation.statements.all()}
    Vote.objects.bulk_create(
        [
            Vote(
                participant=stored[v.participant],
                statement=by_number[v.statement],
                value=v.value,
                voted_at=v.voted_at or consultation.opens_at,
            )
            for v in votes
        ],
        batch_size=5000,
    )
    audit.record(
        "consultation.imported",
        actor=by,
        council=council,
        obj=consultation,
        source=source,
        votes=len(votes),
    )
    return consultation


@action("consultation.import_queued")
def start_polis_import(
    council: Council,
    uploads: Mapping[str, File],
    *,
    slug: str,
    question: str,
    by: User | None = None,
) -> Job:
    """Keep the uploaded export in private storage and queue its import as a background job
    (``consultations.import``); the job reads it, writes all or nothing, then deletes it."""
    if selectors.slug_taken(council, slug):
        raise ConsultationError(_("A consultation with this short name already exists"))
    storage = storages["private"]
    folder = f"polis-imports/{uuid.uuid4().hex}"
    saved: list[str] = []
    try:
        for name, upload in uploads.items():
            if name not in POLIS_IMPORT_FILES:
                raise ValueError(f"not a Polis export file name: {name!r}")
            saved.append(storage.save(f"{folder}/{name}", upload))
        job = start_job(
            "consultations.import",
            title=_("Import of a Polis conversation: %(slug)s") % {"slug": slug},
            params={"slug": slug, "question": question, "files": saved},
            council=council,
            by=by,
        )
    except BaseException:
        _delete_stored(saved)
        raise
    audit.record("consultation.import_queued", actor=by, council=council, obj=job, files=len(saved))
    return job


def _delete_stored(names: Iterable[str]) -> None:
    """Delete uploads kept in private storage (missing ones are fine)."""
    storage = storages["private"]
    for name in names:
        storage.delete(name)


__all__ = ["ConsultationError", "PolisFormatError"]
