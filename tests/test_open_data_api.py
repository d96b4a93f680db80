"""The open-data API on the demo council: every endpoint in the schema answers, as JSON and as
CSV, and nothing in any answer is personal: no email address, postcode, phone number, National
Insurance number, date of birth or name of any person the demo holds (accounts, volunteers,
residents asking for help, people in the shared view of need, manual eligibility checks), and
no field that identifies a person, participant, ballot or account."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from changemaker.budgeting.models import ManualCheck
from changemaker.core import api
from changemaker.core.models import User
from changemaker.culture.models import UnitManager
from changemaker.insight.models import SourceRecord
from changemaker.support.models import HelpRequest, Volunteer

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)
PHONE = re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b")
NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
#: Field names that would identify a person, a participant, a ballot or an account.
PERSONAL_FIELDS = re.compile(
    r"user|participant|author|voter|ballot_id|email|phone|postcode|born|birth|nino|address"
    r"|first_name|surname|last_name|full_name|guardian|referrer",
    re.IGNORECASE,
)


def _people() -> dict[str, set[str]]:
    """What the demo holds about people, to look for in the answers."""
    names = {u.name for u in User.objects.all()}
    names |= {f"{v.first_name} {v.last_name}" for v in Volunteer.objects.all()}
    names |= {v.guardian_name for v in Volunteer.objects.all()}
    names |= {r.name for r in HelpRequest.objects.all()}
    names |= {r.referrer_name for r in HelpRequest.objects.all()}
    names |= {m.full_name for m in ManualCheck.objects.all()}
    names |= {f"{r.first_name} {r.surname}" for r in SourceRecord.objects.all()}
    births = {str(v.date_of_birth) for v in Volunteer.objects.all()}
    births |= {str(m.born) for m in ManualCheck.objects.exclude(born=None)}
    births |= {r.date_of_birth for r in SourceRecord.objects.all()}
    emails = {u.email for u in User.objects.all()} | {m.email for m in UnitManager.objects.all()}
    return {
        "name": {n.strip().lower() for n in names if len(n.strip().split()) >= 2},
        "birth": {b for b in births if b and b < str(date(2015, 1, 1))},
        "email": {e.lower() for e in emails if e},
    }


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        for key in value:
            assert not PERSONAL_FIELDS.search(key), f"a personal field: {key}"
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _assert_nothing_personal(texts: list[str], people: dict[str, set[str]], where: str) -> None:
    for text in texts:
        for pattern in (EMAIL, POSTCODE, PHONE, NINO):
            found = pattern.search(text)
            assert found is None, f"{where}: {found.group()!r} in {text[:80]!r}"
        lowered = text.lower()
        for kind, values in people.items():
            leaked = [v for v in values if v in lowered]
            assert leaked == [], f"{where}: a {kind} of a person: {leaked[:3]}"


def _urls(client: Client, schema: dict[str, Any]) -> list[str]:
    """Every endpoint, its {slug} filled with each slug its parent list gives."""
    urls: list[str] = []
    for template in schema["paths"]:
        if "{slug}" not in template:
            urls.append(template)
            continue
        parent = template.split("/{slug}")[0]
        listing = client.get(f"{parent}?limit={api.MAX_LIMIT}", follow=True, **HOST)
        slugs = [row["slug"] for row in listing.json()["items"]]
        assert slugs, f"the demo has nothing for {template}"
        urls += [template.replace("{slug}", s) for s in slugs]
    return urls


HOST = {"HTTP_HOST": "exampleton.test"}


@pytest.mark.django_db
def test_every_endpoint_answers_on_the_demo_and_nothing_is_personal() -> None:
    call_command("load_demo", stdout=StringIO())
    people = _people()
    assert people["name"] and people["birth"] and people["email"]  # the scan has something
    client = Client()
    schema = client.get("/api/openapi.json", **HOST).json()
    lists = [p for p, ops in schema["paths"].items() if "limit" in str(ops["get"])]
    assert len(lists) >= 8
    urls = _urls(client, schema)
    non_empty = 0
    for url in urls:
        response = client.get(f"{url}?limit={api.MAX_LIMIT}", **HOST)
        assert response.status_code == 200, url
        body = response.json()
        _assert_nothing_personal(_strings(body), people, url)
        if "items" not in body:
            continue
        non_empty += bool(body["items"])
        as_csv = client.get(f"{url}?format=csv&limit={api.MAX_LIMIT}", **HOST)
        assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv"), url
        rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
        assert len(rows) == 1 + len(body["items"]), url
        cells = [c for row in rows for c in row if not re.fullmatch(r"-?[\d.]+", c)]
        _assert_nothing_personal(cells, people, f"{url} (csv)")
    assert non_empty >= len(schema["paths"]) - 2  # the demo fills nearly every list
