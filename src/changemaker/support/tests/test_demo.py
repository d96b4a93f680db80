"""The demo gives the coordinator's pages content, in every state, and runs twice safely."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from changemaker.core.models import User, Ward
from changemaker.core.tests.factories import sign_in
from changemaker.support.models import HelpRequest, Match, Volunteer
from changemaker.support.phones import normalise_uk_phone
from changemaker.support.tests.conftest import HOST


@pytest.mark.django_db
def test_demo_is_idempotent_and_fills_every_state() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "demo volunteers" in out.getvalue()
    counts = (Volunteer.objects.count(), HelpRequest.objects.count(), Match.objects.count())
    assert 250 <= counts[0] <= 350 and 450 <= counts[1] <= 550
    assert set(Volunteer.objects.values_list("status", flat=True)) == set(Volunteer.Status.values)
    assert set(HelpRequest.objects.values_list("status", flat=True)) == set(
        HelpRequest.Status.values
    )
    assert Match.objects.filter(status=Match.Status.PROPOSED).exists()
    # Plausible content: no volunteer's name repeated, real-looking UK numbers, requests that
    # say what is needed, nobody called "A Guardian".
    names = list(Volunteer.objects.values_list("first_name", "last_name"))
    assert len(set(names)) == len(names)
    assert len({first for first, _last in names}) >= 40
    for phone in [*Volunteer.objects.values_list("phone", flat=True)[:300:7],
                  *HelpRequest.objects.values_list("phone", flat=True)[:500:7]]:  # fmt: skip
        assert normalise_uk_phone(phone) == phone
    assert not HelpRequest.objects.filter(details="").exists()
    assert not Volunteer.objects.filter(guardian_name="A Guardian").exists()
    assert HelpRequest.objects.filter(
        status=HelpRequest.Status.CANCELLED, cancelled_by=HelpRequest.CancelledBy.REQUESTER
    ).exists()
    call_command("load_demo", stdout=StringIO())
    assert (Volunteer.objects.count(), HelpRequest.objects.count(), Match.objects.count()) == counts

    coordinator = Client()
    sign_in(coordinator, User.objects.get(email="support@exampleton.example"))
    for name in (
        "support:dashboard",
        "support:requests",
        "support:volunteers",
        "support:proposals",
    ):
        assert coordinator.get(reverse(name), **HOST).status_code == 200
    page = coordinator.get(reverse("support:dashboard"), **HOST).content.decode()
    assert "Castle Hill" in page and "hours" in page
    # Help requests by ward as a table, and a map of the waiting ones beside it: each ward's
    # row, waiting requests counted, every ward a shape named with the same number.
    assert "Help requests by ward" in page
    castle = Ward.objects.get(name="Castle Hill")
    waiting = HelpRequest.objects.filter(ward=castle, status__in=HelpRequest.OPEN).count()
    row = page.split(f"ward={castle.pk}")[1].split("</tr>")[0]
    assert waiting > 0 and f">{waiting}</td>" in row
    svg = page.split('<svg class="cm-ward-map__svg"')[1].split("</svg>")[0]
    assert f"<title>Castle Hill: {waiting}</title>" in svg
    assert svg.count("<path") == Ward.objects.count() == 6
    # Ward counts, never a home: no postcode or coordinates of anyone.
    for v in Volunteer.objects.all()[:50]:
        assert v.postcode not in page and f"{v.lat:.4f}" not in page
    for r in HelpRequest.objects.all()[:50]:
        assert r.postcode not in page

    resident = Client()
    sign_in(resident, User.objects.get(email="resident@exampleton.example"))
    assert (
        "ID badge number" in resident.get(reverse("support:my-requests"), **HOST).content.decode()
    )
    vic = Client()
    sign_in(vic, User.objects.get(email="volunteer@exampleton.example"))
    assert "Accept" in vic.get(reverse("support:my-volunteering"), **HOST).content.decode()
