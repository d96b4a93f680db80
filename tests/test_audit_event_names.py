"""Every audit event the platform records has a plain, translatable name: the audit log shows
"Voting announced", never the code ``pb.voting_announced``.

The code is scanned for the event names it records: the first argument of ``audit.record``
(the second of insight's ``record_access``) and of ``@action``, as a literal, either branch of
``"a" if ... else "b"``, or a local name assigned such a literal before the call. A name the
scan cannot read (a new f-string, a name passed in from elsewhere) fails the test until it is
taught here, so nothing slips through unnamed.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils.functional import Promise

from changemaker.core.events import CORE_EVENTS, describe
from changemaker.core.registry import AUDIT_EVENTS

SRC = Path(__file__).resolve().parents[1] / "src" / "changemaker"
#: The recording functions and which positional argument is the event's name.
RECORDING = {"record": 0, "record_access": 1, "action": 0}
#: Event names built from a template: the template and every name it can make.
TEMPLATES = {
    "listening.scorecard_{to}": {
        "listening.scorecard_open",
        "listening.scorecard_closed",
        "listening.scorecard_published",
    },
}
#: Recording functions that pass on an event name their caller gave (callers are scanned).
PASSING_ON = {("core/audit.py", "event"), ("insight/access.py", "action")}


def _strings(node: ast.AST) -> set[str] | None:
    """The names a literal (or a conditional between literals) can be; None if unreadable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.JoinedStr):
        template = "".join(
            str(part.value) if isinstance(part, ast.Constant) else ast.unparse(part)
            for part in node.values
        )
        return TEMPLATES.get(template)
    return None


def _assigned(tree: ast.AST, name: str) -> set[str] | None:
    """What a local name is assigned in the module (None if any assignment is unreadable)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            values = _strings(node.value)
            if values is None:
                return None
            found |= values
    return found or None


def _events_in(path: Path) -> tuple[set[str], list[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(SRC).as_posix()
    found: set[str] = set()
    unreadable: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        index = RECORDING.get(name)
        if index is None or len(node.args) <= index:
            continue
        argument = node.args[index]
        if isinstance(argument, ast.Name):
            if (where, argument.id) in PASSING_ON:
                continue
            values = _assigned(tree, argument.id)
        else:
            values = _strings(argument)
        if values is None:
            unreadable.append(f"{where}:{node.lineno}: {ast.unparse(argument)}")
        else:
            found |= values
    return found, unreadable


def recorded_events() -> tuple[set[str], list[str]]:
    """Every event name the platform's code records, and the calls the scan could not read."""
    found: set[str] = set()
    unreadable: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if {"tests", "engine", "migrations"} & set(path.relative_to(SRC).parts):
            continue
        events, missed = _events_in(path)
        found |= events
        unreadable += missed
    return found, unreadable


def test_the_scan_reads_every_recording_call() -> None:
    events, unreadable = recorded_events()
    assert len(events) > 200, "the scan should find the platform's events"
    assert {"pb.voting_announced", "consultation.statement_seeded"} <= events
    assert unreadable == [], "teach the scan these event names (TEMPLATES, PASSING_ON)"


def test_every_recorded_event_has_a_plain_translatable_name() -> None:
    events, _unreadable = recorded_events()
    names = {**CORE_EVENTS, **AUDIT_EVENTS}
    missing = sorted(events - set(names))
    assert missing == [], "add these to the capability's audit_events (or core/events.py)"
    for code in events:
        assert isinstance(names[code], Promise), f"{code}: not translatable"
        assert describe(code) == str(names[code])
