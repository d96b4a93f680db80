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
    ))

Notices are published from actions (``core.notices.publish``); the capability that delivers
them registers ``follows`` (where core's Follow button posts, and whether someone follows).

Practice sources let one capability link to another's practices without importing it: a
source returns a council's practices as (title, url); :func:`practices` joins them all.

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
from datetime import date
from typing import Any

from django.http import HttpRequest

from changemaker.core.models import Council
from changemaker.core.rules import add_permissions

#: Who may see an uploaded file under a folder: the reason to refuse, or None to serve it.
MediaGuard = Callable[[HttpRequest, str], "str | None"]
#: A council's practices that work, as (title, url) pairs (e.g. a practice library's cards).
PracticeSource = Callable[[Council], list[tuple[str, str]]]


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
    links: Callable[[Council], list[tuple[str, str]]]  # (label, url) for this council


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
    #: a council's ward-month aggregates an evaluation may take as its outcome
    outcome_sources: Callable[[Council], list[OutcomeSource]] | None = None


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
OUTCOME_SOURCES: list[Callable[[Council], list[OutcomeSource]]] = []


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
    if capability.outcome_sources is not None:
        OUTCOME_SOURCES.append(capability.outcome_sources)


def practices(council: Council) -> list[tuple[str, str]]:
    """Every registered source's practices for the council, (title, url), by title, each url
    once."""
    found = {url: title for source in PRACTICE_SOURCES for title, url in source(council)}
    return sorted(((title, url) for url, title in found.items()), key=lambda p: p[0].lower())


def outcome_sources(council: Council) -> list[OutcomeSource]:
    """Every capability's outcome sources for the council, by label."""
    found = [source for offer in OUTCOME_SOURCES for source in offer(council)]
    return sorted(found, key=lambda s: s.label.lower())
