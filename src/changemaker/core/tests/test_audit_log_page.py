"""The audit log page speaks plain words, narrows by what, who and when, and downloads as CSV
(the download itself recorded)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.core.events import describe, describe_object
from changemaker.core.models import AuditEvent, Council, Role, User

HOST = {"HTTP_HOST": "exampleton.test"}


def _at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day + "T12:00"))


def _event(council: Council, action: str, day: str, actor: User | None = None) -> AuditEvent:
    return AuditEvent.objects.create(action=action, actor=actor, council=council, at=_at(day))


def test_events_and_objects_are_described_in_words() -> None:
    assert describe("council.updated") == "Council details changed"
    assert describe("insight.flag_viewed") == "Flag viewed"  # nobody named it yet
    assert describe_object("core.council", "3") == "Council 3"
    assert describe_object("", "") == ""


def test_filter_by_what_who_and_when(
    client_as: Callable[[str | None], Client],
    council: Council,
    make_user: Callable[..., User],
) -> None:
    officer = make_user(Role.ENGAGEMENT_OFFICER, name="Olu Officer")
    _event(council, "council.updated", "2026-03-01", officer)
    _event(council, "council.updated", "2026-03-10")
    _event(council, "ward.saved", "2026-03-05", officer)
    admin = client_as(Role.COUNCIL_ADMIN)

    def shown(**query: str) -> list[str]:
        response = admin.get(reverse("core:audit"), query, **HOST)
        page = response.content.decode()
        return [line.strip() for line in page.splitlines() if "govuk-table__cell" in line]

    both = shown(action="council.updated")
    assert sum("Council details changed" in c for c in both) == 2
    by_officer = shown(person=str(officer.pk))
    assert sum("Olu Officer" in c for c in by_officer) == 2
    assert not any("Ward saved" in c for c in shown(since="02/03/2026", until="04/03/2026"))
    in_range = shown(since="02/03/2026", until="05/03/2026")
    assert any("Ward saved" in c for c in in_range)
    assert not any("Council details changed" in c for c in in_range)
    system = shown(person="system", action="council.updated")
    assert sum("Council details changed" in c for c in system) == 1


def test_an_end_before_the_start_is_an_error(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    page = client_as(Role.COUNCIL_ADMIN).get(
        reverse("core:audit"), {"since": "10/03/2026", "until": "01/03/2026"}, **HOST
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in text
    assert "The end date must be the same as or after the start date" in text


def test_download_is_filtered_safe_and_recorded(
    client_as: Callable[[str | None], Client],
    council: Council,
    make_user: Callable[..., User],
) -> None:
    name = '=HYPERLINK("https://evil.example","x")'
    officer = make_user(Role.ENGAGEMENT_OFFICER, name=name)
    _event(council, "council.updated", "2026-03-01", officer)
    _event(council, "ward.saved", "2026-03-02", officer)
    response = client_as(Role.COUNCIL_ADMIN).get(
        reverse("core:audit-export"), {"action": "council.updated"}, **HOST
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["when", "who", "what", "event"]
    assert [r[3] for r in rows[1:]] == ["council.updated"]
    assert rows[1][1] == "'" + name  # formula-safe
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.detail == {"rows": 1, "only_action": "council.updated"}


def test_only_those_who_see_the_log_can_download_it(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    url = reverse("core:audit-export")
    assert client_as(Role.ENGAGEMENT_OFFICER).get(url, **HOST).status_code == 403
    assert client_as(Role.COUNCIL_ADMIN).get(url, **HOST).status_code == 200
    assert timezone.now() - AuditEvent.objects.latest("at").at < timedelta(minutes=1)
