"""Staff read plain words, not codes (issue 20): every audit event insight records has a
translatable name, the access history and the access log say what happened and who did it by
name, and every insight job and the linkage run page say what they did in sentences."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from changemaker.core import jobs as core_jobs
from changemaker.core.events import describe
from changemaker.core.models import Job, Role, User
from changemaker.core.registry import AUDIT_EVENTS
from changemaker.core.tests.factories import sign_in
from changemaker.insight.tests.people_fixtures import HOST, World, demo_indicators, make_world

APP = Path(__file__).resolve().parents[1]
RECORDING = {"record", "record_access", "action"}


def _strings(node: ast.AST | None) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def recorded_events() -> set[str]:
    """Every event name the app's code records: the first argument of ``audit.record``,
    ``record_access`` and ``@action``, and names assigned to ``action`` before recording."""
    found: set[str] = set()
    for path in APP.rglob("*.py"):
        if {"tests", "engine", "migrations"} & set(path.relative_to(APP).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in RECORDING and node.args:
                    index = 1 if name == "record_access" else 0
                    if len(node.args) > index:
                        found |= _strings(node.args[index])
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                found |= _strings(node.value)
    return {name for name in found if name.startswith("insight.")}


def test_every_event_insight_records_has_a_translatable_name() -> None:
    events = recorded_events()
    assert len(events) > 30, "the scan should find insight's events"
    missing = sorted(events - set(AUDIT_EVENTS))  # registered by Capability.audit_events
    assert missing == []
    for code in events:
        label = AUDIT_EVENTS[code]
        assert isinstance(label, Promise), code  # a lazy translation
        assert describe(code) == str(label) and "insight" not in describe(code)


def test_event_names_are_translated_when_shown() -> None:
    with translation.override("cy"):
        # an untranslated string falls back to English: what matters is that it went
        # through gettext (a lazy string), checked above; here that describe() renders it
        assert describe("insight.person_viewed") == str(AUDIT_EVENTS["insight.person_viewed"])


@pytest.fixture
def world(council: object) -> World:
    made = make_world(council)  # type: ignore[arg-type]
    demo_indicators(made)
    return made


def _signed_in(make_user: Callable[..., User], role: str, name: str) -> tuple[Client, User]:
    user = make_user(role, name=name)
    client = Client()
    sign_in(client, user)
    return client, user


def _table(page: str) -> str:
    return page.split("<table", 1)[1].split("</table>", 1)[0]


def test_access_history_and_log_read_as_words_with_names(
    world: World, make_user: Callable[..., User]
) -> None:
    practitioner, person = _signed_in(make_user, Role.PRACTITIONER, "Priya Practitioner")
    practitioner.post(reverse("insight:purpose"), {"purpose": world.early_help.pk}, **HOST)
    practitioner.get(reverse("insight:person", args=["P00000001"]), **HOST)

    mine = _table(practitioner.get(reverse("insight:my-access"), **HOST).content.decode())
    assert "Person&#x27;s records viewed" in mine
    assert "Purpose stated for looking at records" in mine
    assert "insight." not in mine and "subject=" not in mine and "records=" not in mine

    officer, _officer = _signed_in(make_user, Role.DATA_OFFICER, "Dana Data")
    page = officer.get(reverse("insight:access-log"), **HOST).content.decode()
    table = _table(page)
    assert "Priya Practitioner" in table
    assert "Person&#x27;s records viewed" in table and "insight." not in table
    assert f">{person.pk}<" not in table  # people by name, not by number
    # the filter offers people by name and events by their plain name
    assert f'<option value="{person.pk}">Priya Practitioner</option>' in page
    assert '<option value="insight.person_viewed">Person&#x27;s records viewed</option>' in page
    narrowed = officer.get(
        reverse("insight:access-log"), {"user": person.pk, "action": ""}, **HOST
    ).content.decode()
    assert "Priya Practitioner" in _table(narrowed) and "Dana Data" not in _table(narrowed)


INSIGHT_KINDS = ["insight.upload.check", "insight.upload.publish", "insight.link"]


def test_every_insight_job_says_what_it_did_in_sentences() -> None:
    kinds = sorted(k for k in core_jobs._HANDLERS if k.startswith("insight."))
    assert set(INSIGHT_KINDS) < set(kinds)
    results = {
        "insight.upload.check": {"rows_read": 1200, "accepted": 1198, "kept_aside": 2},
        "insight.upload.publish": {"added": 3, "updated": 1195, "removed": 0},
        "insight.link": {
            "run": 7,
            "records": 830,
            "persons": 256,
            "households": 132,
            "flags_raised": 1,
        },
        "insight.gazetteer": {"gazetteer": 2, "addresses": 930},
        "insight.retention": {"records": 4, "links": 4, "false_links": 0},
    }
    assert sorted(results) == kinds
    said = {}
    for kind in kinds:
        lines = core_jobs.summary(Job(kind=kind, title="t", result=results[kind]))
        assert lines, kind
        for line in lines:
            # sentences, not "key: value" pairs made from the result's keys
            assert line.endswith(".") and "_" not in line, line
            assert not any(f"{key}: " in line for key in results[kind]), line
        said[kind] = " ".join(lines)
    assert said["insight.upload.check"] == (
        "1,200 rows were read. 1,198 rows were accepted and can be published. "
        "2 rows were kept aside: the upload report says why."
    )
    assert said["insight.link"] == (
        "830 records were linked into 256 people in 132 households. "
        "1 new early-help flag was raised for review."
    )
    assert said["insight.retention"].startswith("4 records past their retention period")


def test_the_run_page_reads_as_words(world: World, make_user: Callable[..., User]) -> None:
    run = world.run
    run.report = {
        "records": 5,
        "records_linked": 5,
        "persons": 3,
        "households": 2,
        "links": 2,
        "model": "built-in (too few records to train on)",
        "match_threshold": 0.9,
        "timings_seconds": {"read": 0.1, "standardise": 0.2, "score": 1.5, "publish": 0.1},
        "flags": {"indicators": 4, "raised": 0, "updated": 0, "reopened": 1, "cleared": 2},
    }
    run.save(update_fields=["report"])
    officer, _user = _signed_in(make_user, Role.DATA_OFFICER, "Dana Data")
    page = officer.get(reverse("insight:run", args=[run.pk]), **HOST).content.decode()
    assert "4 active indicators were checked." in page
    assert "0 new flags were raised." in page
    assert "1 flag was raised again for review." in page
    assert "2 flags no longer apply and were cleared." in page
    assert "indicators: 4" not in page and "raised: 0" not in page
    assert "Scoring pairs of records" in page and "Standardising the records" in page
    for code in ("standardise<", ">score<", ">read<", ">publish<"):
        assert code not in page
