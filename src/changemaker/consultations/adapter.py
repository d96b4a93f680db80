"""Database <-> engine: the one place that knows both. Builds the engine's conversation from
the rows, runs the opinion map, converts to and from the Polis export format, and stores
results through ``actions``."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from changemaker.consultations import actions, selectors
from changemaker.consultations.actions import ImportedStatement, ImportedVote
from changemaker.consultations.engine import (
    MATRIX_FILES,
    Conversation,
    OpinionEngineError,
    OpinionMap,
    VoteLog,
    epoch_ms,
    load_conversation,
    write_comments,
    write_votes,
)
from changemaker.consultations.engine import Statement as EngineStatement
from changemaker.consultations.engine.matrix import latest_votes
from changemaker.consultations.errors import ConsultationError
from changemaker.consultations.models import Consultation, OpinionSnapshot, Statement, Vote
from changemaker.core import csvsafe
from changemaker.core.models import Council, User

POLIS_IMPORT_FILES = actions.POLIS_IMPORT_FILES


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


def _no_votes() -> VoteLog:
    empty = np.array([], dtype=np.int64)
    return VoteLog.from_arrays(empty, empty, empty, empty)


def compute_map(consultation: Consultation) -> OpinionSnapshot:
    """Map the conversation, starting warm from the last map when there is one, and store it.

    The engine runs outside any transaction; only storing the map is one."""
    votes, statements = engine_inputs(consultation)
    previous = selectors.last_warm_map(consultation)
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
    return actions.save_map(
        consultation, votes=len(votes), result=result.to_dict(), warm_state=state
    )


def export_polis(consultation: Consultation, *, by: User | None = None) -> bytes:
    """The conversation in the Polis open-data format, as a zip of comments.csv and votes.csv.

    The public export (``by`` None) holds the published statements and the votes on them only,
    under Polis' anonymous participant numbers, and no votes at all until as many people have
    voted as the map needs (``Consultation.map_minimum``). A member of staff who may manage
    consultations (``by``) gets every statement with its moderation state (-1 removed, 0
    waiting), and the export is audited. Statement texts are formula-safe (``core.csvsafe``);
    the Polis import restores them, so the export round-trips.
    """
    if by is not None and not by.has_perm("consultations.manage", consultation.council):
        raise ConsultationError(_("Only engagement staff can export every statement."))
    votes, statements = engine_inputs(consultation, published_only=by is None)
    if by is None and len(np.unique(votes.participant)) < consultation.map_minimum:
        votes = _no_votes()  # too few people: their votes could be told apart, as on the map
    statements = [replace(s, text=csvsafe.cell(s.text)) for s in statements]
    if by is not None:
        actions.record_staff_export(consultation, by=by, statements=len(statements))
    with tempfile.TemporaryDirectory() as tmp:
        write_comments(Path(tmp) / "comments.csv", statements)
        write_votes(Path(tmp) / "votes.csv", votes)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("comments.csv", "votes.csv"):
                archive.write(Path(tmp) / name, name)
    return buffer.getvalue()


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
    log = conversation.votes
    participants = {int(pid): None for pid in sorted(set(log.participant.tolist()))}
    for s in conversation.statements:  # authors who never voted, after the voters
        if s.author_id is not None:
            participants.setdefault(s.author_id, None)
    statements = [
        ImportedStatement(
            number=s.id,
            text=csvsafe.restore(s.text),
            author=s.author_id,
            status={1: Statement.Status.PUBLISHED, -1: Statement.Status.REJECTED}.get(
                s.moderated, Statement.Status.PUBLISHED
            ),
            is_meta=s.is_meta,
            is_seed=s.is_seed,
        )
        for s in conversation.statements
    ]
    latest = latest_votes(log)  # by timestamp, then file order (exports are not in time order)
    stamps = epoch_ms(latest.timestamp)  # the 2024 server export writes seconds
    votes = [
        ImportedVote(
            participant=pid,
            statement=sid,
            value=value,
            voted_at=datetime.fromtimestamp(ts / 1000, tz=UTC) if ts else None,
        )
        for pid, sid, value, ts in zip(
            latest.participant.tolist(),
            latest.statement.tolist(),
            latest.vote.tolist(),
            stamps.tolist(),
            strict=True,
        )
    ]
    return actions.save_polis_import(
        council,
        participants=list(participants),
        statements=statements,
        votes=votes,
        slug=slug,
        question=question,
        by=by,
        source=source,
    )
