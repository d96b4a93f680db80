"""How a capability plugs in: it registers itself from its ``AppConfig.ready``, so core never
imports a capability (``tests/test_architecture.py`` proves it).

A :class:`Capability` brings its permissions (``rules`` predicates, or the roles that hold
them), its places in the navigation, its staff workspace, who may see its uploaded files, the
default limits of its throttles and the plain names of its audit events::

    register(Capability(
        label="pilots",  # the app label: its permissions are named pilots.*
        permissions=rules.PERMISSIONS,
        navigation=[NavItem("pilots:list", _("Pilots"), order=60)],
        workspaces=[Workspace("pilots.manage", _("Pilots"), _("Run pilots"), links)],
        media={"pilot-photos/": photo_access},
        throttles={"pilots.comment": "10/hour"},
        audit_events={"pilots.registered": _("Pilot registered")},
        notices={"pilots.result_out": NoticeKind(_("A pilot's result is out"), ...)},
        describe_subject=pilot_subject,  # "pilots.pilot:12" -> (title, url) or None
        api=api.router,  # its open data at /api/pilots/ (core/api.py)
        practice_sources=[published_practices],  # (title, url) of practices that work
        figures=live_figures,  # council -> [Figure]: its live figures (core/figures.py)
        figure_kinds={"pilots.running": FigureKind(_("Pilots running"), _("pilots"), why)},
        reports=closed_pilots,  # council -> [ReportSource]: "we asked, you said, we did"
        translations=[TranslationSource("pilots.manage", _("Pilots"), untranslated)],
        proposals={"pilots.idea": ProposalSink(_("a pilot idea"), targets, make)},
    ))

Notices are published from actions (``core.notices.publish``); the capability that delivers
them registers ``follows`` (where core's Follow button posts, and whether someone follows).

Proposals let one capability turn something into another's (a theme of residents' stories
into a budget idea or a consultation statement) without importing it: a capability registers
``proposals={"pilots.idea": ProposalSink(label, targets, make)}``; ``targets(council)`` lists
where one may go now as (key, title) (budgets open for ideas, open consultations) and
``make(council, key, by=user, title=..., text=..., evidence=Evidence(...))`` makes it through the
capability's own action (audited) and returns its address. :data:`PROPOSALS` holds them all.

Quotes copied with a proposal (``Evidence.quotes``: excerpts their tellers agreed to have
quoted) stay answerable to where they came from: a capability that gives quotes registers
``quotes`` (a source key "app.kind:id" -> the excerpts that source may show in public *now*,
or None when it is gone), and the page that shows copied quotes passes them through
:func:`quotes_still_shown`, so a story held back or whose teller withdrew after the idea was
made is never quoted again.

Practice sources let one capability link to another's practices without importing it: a
source returns a council's practices as (title, url); :func:`practices` joins them all.

Figures let one capability show another's live numbers (a self-evaluation's evidence: turnout,
participation, commitments on time) without importing it: ``figures`` returns the council's
:class:`Figure` list, each with a stable ``key`` ("pilots.running"); ``core.figures`` joins
them with core's own. A figure carries its ``facts`` (numbers, titles in both languages, ISO
dates); ``figure_kinds`` say how each key reads (:class:`FigureKind`), so a figure frozen in a
published page is told again in each reader's language (``core.figures.thaw``), and a key
no capability knows any more shows the words frozen with it.
Reports ("we asked, you said, we did"): a capability lists its closed processes with
``reports`` (council -> [:class:`ReportSource`]); each drafts its page on demand
(:class:`ReportDraft`: the question, what people said, the figures, its page, and the keys of
its items, such as a budget's funded ideas, that commitments may name as their source). The
capability that publishes the pages reads them all with :func:`report_sources`.

Translation sources feed the staff area's "Still to translate" page: each names the published
officer-written items of a council whose Welsh is not written yet (``core.bilingual.missing``),
with the permission of those who may edit them; ``core.translate`` is held by anyone who holds
one of those permissions, and :func:`untranslated` gives each person only what they may edit.

Commitments (core's ``Commitment``) are named by their source key ("app.model:12"):
``journey`` lets the source's capability tell the story before the promise was made (the
idea sent in, put on the ballot, funded) as dated steps, and ``on_commitment_changed`` is
called inside the transaction of the action that changed a commitment's status, progress or a
milestone (``core.commitments``), with the commitment and what changed, so the capability
that shows commitments publishes its notice there.

Outcome sources let an evaluation take its outcome from another capability's data as
aggregates only: ``outcome_sources(council)`` returns :class:`OutcomeSource` s (a key, a label,
a unit, ``rows(start, end)``: one ``(ward_code, month, value or None)`` a ward and month, a
count below ``suppressed_below`` given as None, never a person-level row). ``rows`` raises
:class:`OutcomeRefused` (a sentence saying why and what to do) when the data may not be used
for evaluation; :func:`outcome_sources` joins every capability's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from rules.predicates import predicate

from changemaker.core.models import Council
from changemaker.core.rules import add_permissions

#: Who may see an uploaded file under a folder: the reason to refuse, or None to serve it.
MediaGuard = Callable[[HttpRequest, str], "str | None"]
#: A council's practices that work, as (title, url) pairs (e.g. a practice library's cards).
PracticeSource = Callable[[Council], list[tuple[str, str]]]
#: A source key's public story before it became a commitment, as (when, what happened) steps
#: in plain words; [] when the key names nothing public.
Journey = Callable[[Council, str], "list[tuple[date | datetime, str]]"]
#: Told that a commitment changed (the commitment, what changed: "status", "progress",
#: "milestone"), inside the transaction of the action that changed it.
CommitmentListener = Callable[[Any, Mapping[str, Any]], object]


@dataclass(frozen=True)
class ReportFigure:
    """One row of a report's figures table, as facts: its kind's key (``Capability.
    figure_kinds``), the value as shown ("£30,000", "212") and the facts its label is made
    from (``{"ward": "Abbey"}``; ``part``/``part_cy``: the budget part it belongs to). The
    label is told at read time in the reader's language (``core.figures.report_rows``)."""

    key: str
    value: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportDraft:
    """A closed process's "we asked, you said, we did" page as drafted from its data: plain
    sentences (in the language active when drafted) for an officer to edit."""

    we_asked: str
    you_said: str
    figures: Sequence[ReportFigure]  # shown as a table, labels in the reader's language
    url: str  # the process's own page ("" if none)
    #: followable keys of the process's items (a budget's funded ideas): commitments whose
    #: source is one of these, or the process itself, follow from it
    related_sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportSource:
    """A closed process that may have a "we asked, you said, we did" page."""

    key: str  # its followable key ("app.model:12"): one page per key
    kind: Any  # what it is, a lazy translation ("Participatory budget")
    title: str
    closed_on: date | None
    draft: Callable[[], ReportDraft]


#: A council's closed processes that may have a "we asked, you said, we did" page.
ReportLister = Callable[[Council], list[ReportSource]]


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    permission: str | None = None  # None: everyone
    order: int = 50  # core's Home is 0, the staff area 90


@dataclass(frozen=True)
class Workspace:
    """A capability's box on the staff area: shown to those who hold ``permission``."""

    permission: str
    title: Any  # a lazy translation
    description: Any
    #: (label, url) for this council; (label, url, permission) for a link that only some of
    #: the workspace's people may follow (shown to those who hold it)
    links: Callable[[Council], Sequence[tuple[str, ...]]]


@dataclass(frozen=True)
class NoticeKind:
    """Something a capability tells people about. The functions turn a notice's params into
    words at send time, in the language then active (the recipient's)."""

    label: Any  # a lazy translation: what the preferences page calls it
    subject: Callable[[Mapping[str, Any]], str]  # an email's subject, one line
    body: Callable[[Mapping[str, Any]], str]  # plain sentences
    url: Callable[[Mapping[str, Any]], str]  # a path on the site ("/have-your-say/...")
    #: sent to people about their own things (their idea, their request): the preferences
    #: page lets them choose how they hear about this kind
    direct: bool = True


#: A followable subject's key ("pilots.pilot:12", "ward:3") -> (title, path), or None if
#: the key names nothing this capability shows to anyone.
SubjectNamer = Callable[[Council, str], "tuple[str, str] | None"]


@dataclass(frozen=True)
class Follows:
    """How core's Follow button reaches the capability that keeps follows."""

    url_name: str  # the view the button's form posts to (subject, next)
    is_following: Callable[[Any, Council, str], bool]  # (user, council, key)


class ProposalRefused(Exception):
    """A proposal's ``make`` refused (the target closed, the text too long): safe to show."""


@dataclass(frozen=True)
class Evidence:
    """Where a proposal comes from, as its new home shows it: never a name or a contact."""

    summary: str  # one plain sentence ("From 12 residents' stories about ...")
    quotes: Sequence[str] = ()  # excerpts their tellers agreed to have quoted in public
    count: int = 0  # how many stories (or people) it stands for
    source: str = ""  # what it came from, as a followable key ("app.model:id") or ""


#: a source key ("app.kind:id") -> the excerpts it may show in public now (None: it is gone)
QuoteSource = Callable[[str], "Sequence[str] | None"]


@dataclass(frozen=True)
class ProposalSink:
    """Something a capability makes from another's: a budget idea, a consultation statement."""

    label: Any  # a lazy translation, lower case: "a budget idea"
    #: where one may go now in a council, as (key, title)
    targets: Callable[[Council], list[tuple[str, str]]]
    #: make(council, key, *, by, title, text, evidence) -> the new thing's address
    make: Callable[..., str]


@dataclass(frozen=True)
class Figure:
    """One live number about a council, in words: "pilots.running" -> 4 pilots."""

    key: str  # "app.name", stable: a self-evaluation criterion stores it
    label: str  # what it counts, in the active language
    value: float | None  # None: nothing to count yet (the explanation says why)
    unit: str  # "people", "%", "statements"... in the active language
    explanation: str  # where it comes from, in plain words
    #: what its words are made from (numbers, titles as ``title``/``title_cy``, ISO dates),
    #: JSON-able: frozen with the value so its kind can tell it again (``FigureKind``)
    facts: Mapping[str, Any] = field(default_factory=dict)


#: A council's live figures (computed when asked, in the active language).
FigureSource = Callable[[Council], list[Figure]]


@dataclass(frozen=True)
class FigureKind:
    """How a figure (or a report's figures row) reads, by its key: its words are told again
    from its frozen value and facts whenever it is shown, in the reader's language, so a
    published self-evaluation or report reads in each reader's language."""

    #: what it counts, a lazy translation; may name facts ("Votes from %(ward)s"), a fact
    #: ``name`` read as ``name_cy`` in Welsh where given (core.bilingual)
    label: Any
    unit: Any = ""  # shown after the value ("people", "%"), a lazy translation
    #: the sentence saying where the figure comes from, from (value, facts), in the active
    #: language (None: a report row, which has none)
    explain: Callable[[float | None, Mapping[str, Any]], str] | None = None
    #: a report row whose value is words (a pilot's design): the value told again from its
    #: facts, in the active language (None: the value is shown as kept)
    words: Callable[[Mapping[str, Any]], str] | None = None


@dataclass(frozen=True)
class Untranslated:
    """A published item whose Welsh is not written yet."""

    title: str  # its English title
    url: str  # the staff page where its Welsh is written
    missing: Sequence[Any]  # what is missing, in words ("Title", "Description")


@dataclass(frozen=True)
class TranslationSource:
    """A capability's officer-written content, for the "Still to translate" page."""

    permission: str  # who may edit (and so translate) it
    title: Any  # a lazy translation: the page's heading for these items
    items: Callable[[Council], list[Untranslated]]


class OutcomeRefused(Exception):
    """An outcome source may not give its data (no agreement covers evaluation...): the message
    says why and what to do, in the reader's language."""


#: (ward's ONS code, first day of the month, the count or None when suppressed)
OutcomeRow = tuple[str, date, "int | None"]


@dataclass(frozen=True)
class OutcomeSource:
    """Ward-month aggregates another capability offers as an evaluation's outcome."""

    key: str  # "app.kind:id", stable: what an evaluation records as its source
    label: str  # what the staff page calls it, in the reader's language
    unit: str  # what is counted ("households", "people")
    rows: Callable[[date, date], list[OutcomeRow]]  # months from start to end, inclusive
    suppressed_below: int = 10


@dataclass(frozen=True)
class Capability:
    label: str
    permissions: Mapping[str, Any] = field(default_factory=dict)
    navigation: Sequence[NavItem] = ()
    workspaces: Sequence[Workspace] = ()
    media: Mapping[str, MediaGuard] = field(default_factory=dict)
    throttles: Mapping[str, str] = field(default_factory=dict)
    #: audit event -> what the audit log calls it (a lazy translation)
    audit_events: Mapping[str, Any] = field(default_factory=dict)
    #: notice kind ("app.event") -> how it reads
    notices: Mapping[str, NoticeKind] = field(default_factory=dict)
    #: names the followable subjects whose key starts with the label ("app.model:id")
    describe_subject: SubjectNamer | None = None
    follows: Follows | None = None
    #: called once a transaction that published notices has committed (the deliverer
    #: starts its job): core.notices.publish
    on_notices: Callable[[], object] | None = None
    #: its public open-data endpoints (a ninja Router from its api.py, reads only, nothing
    #: personal): core.api adds it under /api/<label>/
    api: Any = None
    practice_sources: Sequence[PracticeSource] = ()
    #: its live figures for a council (core.figures.live_figures joins them all)
    figures: FigureSource | None = None
    #: how its figures and report rows read, by key ("app.name"): told again at read time
    figure_kinds: Mapping[str, FigureKind] = field(default_factory=dict)
    #: its closed processes, each able to draft its "we asked, you said, we did" page
    reports: ReportLister | None = None
    #: its published content whose Welsh is still to write (the "Still to translate" page)
    translations: Sequence[TranslationSource] = ()
    #: the journey of its source keys ("app.model:id") before they became commitments
    journey: Journey | None = None
    #: told when a commitment changes (core.commitments), in the same transaction
    on_commitment_changed: CommitmentListener | None = None
    #: what it makes from another capability's things ("app.kind" -> how): Proposals above
    proposals: Mapping[str, ProposalSink] = field(default_factory=dict)
    #: a council's ward-month aggregates an evaluation may take as its outcome
    outcome_sources: Callable[[Council], list[OutcomeSource]] | None = None
    #: the excerpts one of its evidence sources ("app.kind:id") may show in public now, or
    #: None when the source is gone: Quotes above
    quotes: QuoteSource | None = None


CAPABILITIES: dict[str, Capability] = {}
NAVIGATION: list[NavItem] = []
WORKSPACES: list[Workspace] = []
MEDIA_GUARDS: dict[str, MediaGuard] = {}
THROTTLES: dict[str, str] = {}
AUDIT_EVENTS: dict[str, Any] = {}
NOTICE_KINDS: dict[str, NoticeKind] = {}
SUBJECT_NAMERS: dict[str, SubjectNamer] = {}
#: the one capability that keeps follows (None: no Follow buttons are shown)
FOLLOWS: list[Follows] = []
NOTICE_LISTENERS: list[Callable[[], object]] = []
PRACTICE_SOURCES: list[PracticeSource] = []
FIGURE_SOURCES: list[FigureSource] = []
#: "app.name" -> how that figure reads (core's own are added by core.figures)
FIGURE_KINDS: dict[str, FigureKind] = {}
REPORT_LISTERS: list[ReportLister] = []
TRANSLATION_SOURCES: list[TranslationSource] = []
JOURNEYS: dict[str, Journey] = {}
COMMITMENT_LISTENERS: list[CommitmentListener] = []
#: "app.kind" -> how that capability makes it (a budget idea, a consultation statement)
PROPOSALS: dict[str, ProposalSink] = {}
OUTCOME_SOURCES: list[Callable[[Council], list[OutcomeSource]]] = []
#: capability label -> its quote source
QUOTE_SOURCES: dict[str, QuoteSource] = {}


def register(capability: Capability) -> None:
    """Plug a capability in (once; calling again with the same label changes nothing)."""
    if capability.label in CAPABILITIES:
        return
    wrong = [p for p in capability.permissions if not p.startswith(capability.label + ".")]
    if wrong:
        raise ValueError(f"{capability.label}: permissions must be named {capability.label}.*")
    CAPABILITIES[capability.label] = capability
    add_permissions(capability.permissions)
    NAVIGATION.extend(capability.navigation)
    NAVIGATION.sort(key=lambda item: item.order)
    WORKSPACES.extend(capability.workspaces)
    MEDIA_GUARDS.update(capability.media)
    THROTTLES.update(capability.throttles)
    AUDIT_EVENTS.update(capability.audit_events)
    wrong = [k for k in capability.notices if not k.startswith(capability.label + ".")]
    if wrong:
        raise ValueError(f"{capability.label}: notice kinds must be named {capability.label}.*")
    NOTICE_KINDS.update(capability.notices)
    if capability.describe_subject is not None:
        SUBJECT_NAMERS[capability.label] = capability.describe_subject
    if capability.follows is not None:
        FOLLOWS[:] = [capability.follows]
    if capability.on_notices is not None:
        NOTICE_LISTENERS.append(capability.on_notices)
    PRACTICE_SOURCES.extend(capability.practice_sources)
    if capability.figures is not None:
        FIGURE_SOURCES.append(capability.figures)
    wrong = [k for k in capability.figure_kinds if not k.startswith(capability.label + ".")]
    if wrong:
        raise ValueError(f"{capability.label}: figures must be named {capability.label}.*")
    FIGURE_KINDS.update(capability.figure_kinds)
    if capability.reports is not None:
        REPORT_LISTERS.append(capability.reports)
    TRANSLATION_SOURCES.extend(capability.translations)
    if capability.journey is not None:
        JOURNEYS[capability.label] = capability.journey
    if capability.on_commitment_changed is not None:
        COMMITMENT_LISTENERS.append(capability.on_commitment_changed)
    wrong = [k for k in capability.proposals if not k.startswith(capability.label + ".")]
    if wrong:
        raise ValueError(f"{capability.label}: proposals must be named {capability.label}.*")
    PROPOSALS.update(capability.proposals)
    if capability.outcome_sources is not None:
        OUTCOME_SOURCES.append(capability.outcome_sources)
    if capability.quotes is not None:
        QUOTE_SOURCES[capability.label] = capability.quotes


def practices(council: Council) -> list[tuple[str, str]]:
    """Every registered source's practices for the council, (title, url), by title, each url
    once."""
    found = {url: title for source in PRACTICE_SOURCES for title, url in source(council)}
    return sorted(((title, url) for url, title in found.items()), key=lambda p: p[0].lower())


def report_sources(council: Council) -> list[ReportSource]:
    """Every capability's closed processes in the council, most recently closed first."""
    found = [source for lister in REPORT_LISTERS for source in lister(council)]
    return sorted(found, key=lambda s: (s.closed_on or date.min, s.key), reverse=True)


@predicate
def edits_translated_content(user: Any, council: Council) -> bool:
    """The person may edit some capability's officer-written content in the council."""
    return any(user.has_perm(s.permission, council) for s in TRANSLATION_SOURCES)


add_permissions({"core.translate": edits_translated_content})


def untranslated(user: Any, council: Council) -> list[tuple[Any, list[Untranslated]]]:
    """The content still to translate that the person may edit: (heading, items) per source."""
    return [
        (source.title, source.items(council))
        for source in TRANSLATION_SOURCES
        if user.has_perm(source.permission, council)
    ]


def outcome_sources(council: Council) -> list[OutcomeSource]:
    """Every capability's outcome sources for the council, by label."""
    found = [source for offer in OUTCOME_SOURCES for source in offer(council)]
    return sorted(found, key=lambda s: s.label.lower())


def quotes_still_shown(source: str, quotes: Sequence[str]) -> list[str]:
    """Of ``quotes`` copied from ``source``, those that may still be shown: the ones its
    capability still offers (none when the source is gone). Quotes from a source no
    capability answers for (a consultation's published statement) are shown as copied."""
    check = QUOTE_SOURCES.get(source.split(".", 1)[0]) if source else None
    if check is None:
        return [str(q) for q in quotes]
    offered = check(source)
    if offered is None:
        return []
    allowed = set(offered)
    return [str(q) for q in quotes if q in allowed]
