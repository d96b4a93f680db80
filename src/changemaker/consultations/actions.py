"""Every write in consultations. Views call these; each is one transaction."""

from __future__ import annotations

import hashlib
import io
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.consultations.engine import (
    MATRIX_FILES,
    Conversation,
    OpinionEngineError,
    OpinionMap,
    PolisFormatError,
    VoteLog,
    epoch_ms,
    load_conversation,
    write_comments,
    write_votes,
)
from changemaker.consultations.engine import Statement as EngineStatement
from changemaker.consultations.engine.matrix import latest_votes
from changemaker.consultations.models import (
    MAX_STATEMENT,
    Consultation,
    OpinionSnapshot,
    Participant,
    Report,
    Statement,
    Vote,
)
from changemaker.core import audit, csvsafe
from changemaker.core.actions import start_job
from changemaker.core.models import Council, Job, User

MAP_DELAY = timedelta(seconds=10)  # debounce: votes in the next 10 s join the same run
STATEMENTS_PER_HOUR = 5


class ConsultationError(Exception):
    """Safe to show to the person: says what is wrong and what to do."""


def browser_key(token: str) -> str:
    return hashlib.sha256(f"changemaker-participant:{token}".encode()).hexdigest()


@transaction.atomic
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
) -> Consultation:
    consultation = Consultation.objects.create(
        council=council,
        slug=slug,
        question=question.strip(),
        background=background.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        moderation=moderation,
        audience=audience,
        created_by=by,
    )
    for n, text in enumerate((t.strip() for t in seeds if t.strip()), start=0):
        Statement.objects.create(
            consultation=consultation,
            number=n,
            text=text[:MAX_STATEMENT],
            status=Statement.Status.PUBLISHED,
            is_seed=True,
        )
    audit.record("consultation.created", actor=by, council=council, obj=consultation)
    return consultation


def participant_for(
    consultation: Consultation, *, user: User | None = None, token: str = ""
) -> Participant:
    """The participant for a signed-in person or a browser, created on first use."""
    if user is not None and user.is_authenticated:
        key: dict[str, object] = {"user": user}
    elif token:
        key = {"browser_key": browser_key(token)}
    else:
        raise ConsultationError(_("We could not tell who you are. Turn on cookies and try again."))
    found = Participant.objects.filter(consultation=consultation, **key).first()
    if found:
        return found
    for _attempt in range(5):
        try:
            with transaction.atomic():
                # One newcomer at a time per consultation takes the next number: under load
                # "highest + 1" collided again and again (PostgreSQL, read committed), and the
                # person was told to try again after the throttle had counted them.
                Consultation.objects.select_for_update().only("pk").get(pk=consultation.pk)
                found = Participant.objects.filter(consultation=consultation, **key).first()
                if found:
                    return found
                top = consultation.participants.aggregate(m=Max("number"))["m"]
                return Participant.objects.create(
                    consultation=consultation, number=0 if top is None else top + 1, **key
                )
        except IntegrityError:
            continue  # the same browser joined twice at the same moment: read it again
    raise ConsultationError(_("Too many people are joining at once. Try again."))


def check_can_take_part(consultation: Consultation, user: User | None) -> None:
    if not consultation.is_open:
        raise ConsultationError(_("This consultation is closed. Nothing was saved."))
    signed_in = user is not None and user.is_authenticated
    if consultation.audience == Consultation.Audience.RESIDENTS and not signed_in:
        raise ConsultationError(_("Sign in to take part in this consultation."))
    if consultation.audience == Consultation.Audience.INVITED and not (
        signed_in and consultation.invited.filter(pk=user.pk).exists()  # type: ignore[union-attr]
    ):
        raise ConsultationError(_("Only invited people can take part in this consultation."))


def may_see(consultation: Consultation, user: User | None) -> bool:
    """Invited-only consultations (their statements, results and export) are for the invited
    people and the council's engagement staff; the others are public."""
    if consultation.audience != Consultation.Audience.INVITED:
        return True
    if user is None or not user.is_authenticated:
        return False
    return bool(
        user.has_perm("consultations.manage", consultation.council)
        or consultation.invited.filter(pk=user.pk).exists()
    )


def cast_vote(participant: Participant, statement: Statement, value: int) -> Vote:
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
    request_map(consultation)
    return vote


def add_statement(participant: Participant, text: str) -> Statement:
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


def report_statement(statement: Statement, participant: Participant, reason: str) -> bool:
    reason = reason.strip()[:200] or _("No reason given")
    try:
        with transaction.atomic():
            Report.objects.create(statement=statement, participant=participant, reason=reason)
    except IntegrityError:
        return False
    return True


@transaction.atomic
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
    request_map(statement.consultation)
    return statement


@transaction.atomic
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


def request_map(consultation: Consultation) -> Job | None:
    """Ask for the map to be recomputed soon. At most one run waits at a time (debounce)."""
    waiting = Job.objects.filter(
        kind="consultations.map", params__consultation=consultation.pk, status=Job.Status.QUEUED
    ).exists()
    if waiting:
        return None
    return start_job(
        "consultations.map",
        title=f"Opinion map: {consultation.slug}",
        params={"consultation": consultation.pk},
        council=consultation.council,
        delay=MAP_DELAY,
    )


def engine_inputs(
    consultation: Consultation, *, published_only: bool = False
) -> tuple[VoteLog, list[EngineStatement]]:
    """The conversation for the engine; ``published_only`` leaves out statements that are
    waiting for a moderator or were removed, and the votes on them."""
    chosen = consultation.statements.select_related("author")
    cast = Vote.objects.filter(statement__consultation=consultation)
    if published_only:
        chosen = chosen.filter(status=Statement.Status.PUBLISHED)
        cast = cast.filter(statement__status=Statement.Status.PUBLISHED)
    statements = [
        EngineStatement(
            id=s.number,
            text=s.text,
            author_id=s.author.number if s.author else None,
            moderated={"published": 1, "rejected": -1}.get(s.status, 0),
            is_meta=s.is_meta,
        )
        for s in chosen
    ]
    rows = list(cast.values_list("participant__number", "statement__number", "value", "voted_at"))
    votes = VoteLog.from_arrays(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([r[2] for r in rows], dtype=np.int64),
        np.array([int(r[3].timestamp() * 1000) for r in rows], dtype=np.int64),
    )
    return votes, statements


def compute_map(consultation: Consultation) -> OpinionSnapshot:
    """Map the conversation, starting warm from the last map when there is one."""
    votes, statements = engine_inputs(consultation)
    previous = consultation.snapshots.filter(warm_state__isnull=False).first()
    opinion_map = OpinionMap()
    if previous is not None:
        try:
            opinion_map.resume(dict(previous.warm_state or {}), votes, statements)
        except OpinionEngineError:  # a state from an older engine: start cold
            opinion_map = OpinionMap().fit(votes, statements)
    else:
        opinion_map.fit(votes, statements)
    result = opinion_map.result_
    assert result is not None
    try:
        state = opinion_map.warm_state()
    except AttributeError:  # too few votes to cluster yet
        state = None
    return OpinionSnapshot.objects.create(
        consultation=consultation, votes=len(votes), result=result.to_dict(), warm_state=state
    )


def export_polis(consultation: Consultation, *, by: User | None = None) -> bytes:
    """The conversation in the Polis open-data format, as a zip of comments.csv and votes.csv.

    The public export (``by`` None) holds the published statements and the votes on them only,
    under Polis' anonymous participant numbers. A member of staff who may manage consultations
    (``by``) gets every statement with its moderation state (-1 removed, 0 waiting), and the
    export is audited. Statement texts are formula-safe (``core.csvsafe``); the Polis import
    restores them, so the export round-trips.
    """
    if by is not None and not by.has_perm("consultations.manage", consultation.council):
        raise ConsultationError(_("Only engagement staff can export every statement."))
    votes, statements = engine_inputs(consultation, published_only=by is None)
    statements = [replace(s, text=csvsafe.cell(s.text)) for s in statements]
    if by is not None:
        audit.record(
            "consultation.exported",
            actor=by,
            council=consultation.council,
            obj=consultation,
            reason="staff export with statements removed or waiting for moderation",
            statements=len(statements),
        )
    with tempfile.TemporaryDirectory() as tmp:
        write_comments(Path(tmp) / "comments.csv", statements)
        write_votes(Path(tmp) / "votes.csv", votes)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("comments.csv", "votes.csv"):
                archive.write(Path(tmp) / name, name)
    return buffer.getvalue()


POLIS_IMPORT_FILES = ("comments.csv", "votes.csv", "participants-votes.csv")
"""The files of a Polis export the import reads (the matrix also as ``participant-votes.csv``)."""


def read_polis_export(files: Mapping[str, bytes]) -> Conversation:
    """Parse a Polis export (file name -> content); PolisFormatError names file, line, field."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in files.items():
            if name in POLIS_IMPORT_FILES or name in MATRIX_FILES:
                (Path(tmp) / name).write_bytes(content)
        return load_conversation(tmp)


def import_polis(
    council: Council,
    files: Mapping[str, bytes],
    *,
    slug: str,
    question: str,
    by: User | None = None,
    source: str = "Polis export",
) -> Consultation:
    """Create a (closed) consultation from a Polis export, to analyse it here.

    A malformed export raises PolisFormatError naming the file, line and field; nothing is saved.
    """
    return save_polis_import(
        council, read_polis_export(files), slug=slug, question=question, by=by, source=source
    )


@transaction.atomic
def save_polis_import(
    council: Council,
    conversation: Conversation,
    *,
    slug: str,
    question: str,
    by: User | None = None,
    source: str = "Polis export",
) -> Consultation:
    """Write a parsed Polis export as a closed consultation: all of it or, on error, nothing."""
    if Consultation.objects.filter(council=council, slug=slug).exists():
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
    log = conversation.votes
    participants = {
        int(pid): Participant(consultation=consultation, number=int(pid))
        for pid in sorted(set(log.participant.tolist()))
    }
    for s in conversation.statements:
        if s.author_id is not None and s.author_id not in participants:
            participants[s.author_id] = Participant(consultation=consultation, number=s.author_id)
    Participant.objects.bulk_create(participants.values())
    stored = {p.number: p for p in consultation.participants.all()}
    Statement.objects.bulk_create(
        [
            Statement(
                consultation=consultation,
                number=s.id,
                text=csvsafe.restore(s.text)[:MAX_STATEMENT] or "-",
                author=stored.get(s.author_id) if s.author_id is not None else None,
                status={1: Statement.Status.PUBLISHED, -1: Statement.Status.REJECTED}.get(
                    s.moderated, Statement.Status.PUBLISHED
                ),
                is_meta=s.is_meta,
                is_seed=s.is_seed,
            )
            for s in conversation.statements
        ]
    )
    by_number = {s.number: s for s in consultation.statements.all()}
    latest = latest_votes(log)  # by timestamp, then file order (exports are not in time order)
    stamps = epoch_ms(latest.timestamp)  # the 2024 server export writes seconds
    Vote.objects.bulk_create(
        [
            Vote(
                participant=stored[pid],
                statement=by_number[sid],
                value=value,
                voted_at=datetime.fromtimestamp(ts / 1000, tz=UTC) if ts else consultation.opens_at,
            )
            for pid, sid, value, ts in zip(
                latest.participant.tolist(),
                latest.statement.tolist(),
                latest.vote.tolist(),
                stamps.tolist(),
                strict=True,
            )
        ],
        batch_size=5000,
    )
    audit.record(
        "consultation.imported",
        actor=by,
        council=council,
        obj=consultation,
        source=source,
        votes=len(latest),
    )
    return consultation


@transaction.atomic
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
    if Consultation.objects.filter(council=council, slug=slug).exists():
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
        delete_stored(saved)
        raise
    audit.record("consultation.import_queued", actor=by, council=council, obj=job, files=len(saved))
    return job


def delete_stored(names: Iterable[str]) -> None:
    """Delete uploads kept in private storage (missing ones are fine)."""
    storage = storages["private"]
    for name in names:
        storage.delete(name)


__all__ = ["ConsultationError", "PolisFormatError"]
