"""Every read of consultations beyond a one-line lookup, scoped to what the person may see.
No writes."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from changemaker.consultations import rules
from changemaker.consultations.errors import ConsultationError
from changemaker.consultations.models import (
    Consultation,
    OpinionSnapshot,
    Participant,
    Report,
    Statement,
    Vote,
)
from changemaker.core import bilingual
from changemaker.core.figures import told
from changemaker.core.models import Council, User
from changemaker.core.registry import Figure, FigureKind, Untranslated


def browser_key(token: str) -> str:
    """What is stored of a browser's participant cookie: a hash, never the cookie itself."""
    return hashlib.sha256(f"changemaker-participant:{token}".encode()).hexdigest()


def may_see(consultation: Consultation, user: User | None) -> bool:
    """Invited-only consultations (their statements, results and export) are for the invited
    people and the council's engagement staff; the others are public."""
    return bool(rules.may_see(user, consultation))


def visible_consultations(council: Council, user: User | None) -> list[Consultation]:
    """The council's consultations the person may see."""
    return [c for c in Consultation.objects.filter(council=council) if may_see(c, user)]


def check_can_take_part(consultation: Consultation, user: User | None) -> None:
    """Raise ConsultationError (what to do) unless the person may vote and add statements."""
    if not consultation.is_open:
        raise ConsultationError(_("This consultation is closed. Nothing was saved."))
    signed_in = user is not None and user.is_authenticated
    if consultation.audience == Consultation.Audience.RESIDENTS and not signed_in:
        raise ConsultationError(_("Sign in to take part in this consultation."))
    if consultation.audience == Consultation.Audience.INVITED and not (
        signed_in and rules.is_invited(user, consultation)
    ):
        raise ConsultationError(_("Only invited people can take part in this consultation."))


def slug_taken(council: Council, slug: str) -> bool:
    return Consultation.objects.filter(council=council, slug=slug).exists()


def find_participant(
    consultation: Consultation, *, user: User | None = None, token: str = ""
) -> Participant | None:
    """The participant of a signed-in person or of a browser's cookie, if they have one."""
    if user is not None and user.is_authenticated:
        key: dict[str, Any] = {"user": user}
    elif token:
        key = {"browser_key": browser_key(token)}
    else:
        return None
    return consultation.participants.filter(**key).first()


def statement(
    consultation: Consultation, number: int, *, published_only: bool = False
) -> Statement | None:
    """A statement of the consultation by its number (None: no such statement)."""
    found = consultation.statements.filter(number=number)
    if published_only:
        found = found.filter(status=Statement.Status.PUBLISHED)
    return found.first()


def published_count(consultation: Consultation) -> int:
    return consultation.statements.filter(status=Statement.Status.PUBLISHED).count()


def next_statement(consultation: Consultation, participant: Participant | None) -> Statement | None:
    """The unvoted statement with the highest routing priority from the last map."""
    candidates = consultation.statements.filter(status=Statement.Status.PUBLISHED)
    if participant is not None:
        candidates = candidates.exclude(votes__participant=participant)
    snapshot = consultation.snapshots.first()
    priorities: dict[str, float] = snapshot.result.get("priorities", {}) if snapshot else {}
    new = max(priorities.values(), default=1.0) + 1.0  # new statements first, as Polis does
    ranked = sorted(candidates, key=lambda s: (-priorities.get(str(s.number), new), s.number))
    return ranked[0] if ranked else None


def latest_map(consultation: Consultation) -> OpinionSnapshot | None:
    return consultation.snapshots.first()


def last_warm_map(consultation: Consultation) -> OpinionSnapshot | None:
    """The last map a warm run can start from."""
    return consultation.snapshots.filter(warm_state__isnull=False).first()


def published_texts(consultation: Consultation) -> tuple[dict[int, str], frozenset[int]]:
    """Statement texts by number in the reader's language, and the numbers shown in English to
    a Welsh reader (no Welsh version yet); removed statements, or those waiting for a
    moderator, are never shown."""
    texts: dict[int, str] = {}
    english: set[int] = set()
    for s in consultation.statements.filter(status=Statement.Status.PUBLISHED):
        texts[s.number], fell_back = bilingual.pick(s, "text")
        if fell_back:
            english.add(s.number)
    return texts, frozenset(english)


def open_consultations(council: Council) -> QuerySet[Consultation]:
    now = timezone.now()
    return Consultation.objects.filter(
        council=council, opens_at__lte=now, closes_at__gt=now
    ).order_by("question", "pk")


def uniting_statements(consultation: Consultation) -> list[Statement]:
    """The published statements the latest map calls consensus in agreement (every opinion
    group agreed), once the map may be shown (enough people)."""
    snapshot = latest_map(consultation)
    if snapshot is None:
        return []
    result = snapshot.result
    people = int(result.get("n_participants", len(result.get("participant_group", {}))))
    if people < consultation.map_minimum:
        return []
    numbers = [int(s["statement"]) for s in result.get("consensus", {}).get("agree", [])]
    found = {
        s.number: s
        for s in consultation.statements.filter(
            number__in=numbers, status=Statement.Status.PUBLISHED
        )
    }
    return [found[n] for n in numbers if n in found]


def votes_over_time(consultation: Consultation) -> tuple[list[Any], bool]:
    """Votes per day, or per month for a long conversation (so the table stays readable); and
    whether it is per month."""
    votes = Vote.objects.filter(statement__consultation=consultation)
    daily: list[Any] = list(
        votes.annotate(day=TruncDate("voted_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    if len(daily) <= 31:
        return daily, False
    monthly: list[Any] = list(
        votes.annotate(day=TruncMonth("voted_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return monthly, True


def moderation_queue(
    consultation: Consultation,
) -> tuple[QuerySet[Statement], QuerySet[Statement]]:
    """Statements waiting for a moderator, and published statements someone reported (with
    ``n_reports``, and their reports, oldest first, for the reasons)."""
    reported = Counter(
        consultation.statements.filter(reports__isnull=False).values_list("number", flat=True)
    )
    queue = consultation.statements.filter(status=Statement.Status.PENDING)
    flagged = (
        consultation.statements.filter(number__in=reported, status="published")
        .annotate(n_reports=Count("reports"))
        .prefetch_related(Prefetch("reports", queryset=Report.objects.order_by("created_at")))
    )
    return queue, flagged


def closed_without_final_map(within: timedelta = timedelta(days=7)) -> list[Consultation]:
    """Consultations closed in the last ``within`` that have votes but no map made since they
    closed (the map that announces their results)."""
    now = timezone.now()
    closed = Consultation.objects.filter(closes_at__lte=now, closes_at__gt=now - within)
    return [
        c
        for c in closed.annotate(votes=Count("statements__votes"))
        if c.votes and not c.snapshots.filter(computed_at__gte=c.closes_at).exists()
    ]


def published_tallies(consultation: Consultation) -> dict[int, dict[str, int]]:
    """How many agreed, disagreed and passed on each published statement, for open data; by
    statement id. Empty until as many people have voted as the map needs
    (``Consultation.map_minimum``, as the public export), and a statement fewer people voted on
    is left out: nothing is counted below the minimum."""
    votes = Vote.objects.filter(
        statement__consultation=consultation, statement__status=Statement.Status.PUBLISHED
    )
    minimum = consultation.map_minimum
    if votes.values("participant").distinct().count() < minimum:
        return {}
    tallies: dict[int, dict[str, int]] = {}
    for row in votes.values("statement", "value").annotate(n=Count("id")):
        counts = tallies.setdefault(row["statement"], {"agree": 0, "disagree": 0, "pass": 0})
        counts[{1: "agree", -1: "disagree", 0: "pass"}[row["value"]]] = row["n"]
    return {s: c for s, c in tallies.items() if sum(c.values()) >= minimum}


# Live figures (core.registry.Capability.figures) ------------------------------------------

YEAR = timedelta(days=365)


PARTICIPANTS = "consultations.participants"
STATEMENTS = "consultations.statements"


def _participants_words(value: float | None, facts: Mapping[str, Any]) -> str:
    return _(
        "%(count)s people took part in the council's consultations in the last 12 "
        "months (someone who took part in two consultations counts twice)."
    ) % {"count": facts["count"]}


def _statements_words(value: float | None, facts: Mapping[str, Any]) -> str:
    return _("%(count)s statements written in the last 12 months were checked and shown.") % {
        "count": facts["count"]
    }


#: how its figures read, told again in the reader's language (Capability.figure_kinds)
FIGURE_KINDS = {
    PARTICIPANTS: FigureKind(
        gettext_lazy("People taking part in consultations in the last 12 months"),
        gettext_lazy("people"),
        _participants_words,
    ),
    STATEMENTS: FigureKind(
        gettext_lazy("Statements shown in consultations in the last 12 months"),
        gettext_lazy("statements"),
        _statements_words,
    ),
}


def figures(council: Council) -> list[Figure]:
    """Taking part in the last 12 months: people who took part in the council's consultations
    (once per consultation) and the statements shown to others."""
    since = timezone.now() - YEAR
    people = Participant.objects.filter(
        consultation__council=council, created_at__gte=since
    ).count()
    statements = Statement.objects.filter(
        consultation__council=council,
        created_at__gte=since,
        status=Statement.Status.PUBLISHED,
    ).count()
    return [
        told(PARTICIPANTS, float(people), {"count": people}),
        told(STATEMENTS, float(statements), {"count": statements}),
    ]


# Welsh versions --------------------------------------------------------------------------

#: The officer-written words people read, each with a Welsh companion (``<field>_cy``).
CONSULTATION_WORDS = {
    "question": gettext_lazy("Question"),
    "background": gettext_lazy("Background"),
}


def published_statements(consultation: Consultation) -> QuerySet[Statement]:
    return consultation.statements.filter(status=Statement.Status.PUBLISHED).order_by("number")


def welsh_missing(consultation: Consultation) -> list[str]:
    """What people can read of the consultation that has no Welsh yet, in words."""
    found = [
        str(CONSULTATION_WORDS[f]) for f in bilingual.missing(consultation, CONSULTATION_WORDS)
    ]
    lacking = sum(bool(bilingual.missing(s, ["text"])) for s in published_statements(consultation))
    if lacking:
        found.append(
            ngettext("%(n)s statement", "%(n)s statements", lacking) % {"n": f"{lacking:,}"}
        )
    return found


def untranslated(council: Council) -> list[Untranslated]:
    """The council's consultations whose question, background or shown statements have no
    Welsh yet (for the staff area's "Still to translate" page)."""
    found = []
    for consultation in Consultation.objects.filter(council=council).order_by("-opens_at"):
        missing = welsh_missing(consultation)
        if missing:
            url = reverse("consultations:welsh", args=[consultation.slug])
            found.append(Untranslated(consultation.question, url, missing))
    return found
