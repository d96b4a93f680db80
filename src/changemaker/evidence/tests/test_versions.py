"""Registration freezes the plan; later edits make new versions with a visible diff; a changed
primary outcome is flagged on the public page."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent
from changemaker.evidence.models import Analysis, Pilot
from changemaker.evidence.tests.conftest import HOST, PLAN


def _edit(client: Client, pilot: Pilot, **changes: str) -> None:
    data = {k: v for k, v in {**PLAN, **changes}.items() if k != "slug"}
    response = client.post(reverse("evidence:staff-edit", args=[pilot.slug]), data, **HOST)
    assert response.status_code == 302, response.content.decode()[:2000]


def _register(client: Client, pilot: Pilot) -> None:
    client.post(reverse("evidence:staff-register", args=[pilot.slug]), **HOST)


def test_edits_before_registration_make_no_version(
    lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    pilot = make_pilot()
    _edit(lead, pilot, hypothesis="Referrals fall by a fifth")
    assert pilot.versions.count() == 0


def test_registration_freezes_version_one_and_edits_make_new_versions(
    lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    pilot = make_pilot()
    _register(lead, pilot)
    first = pilot.versions.get()
    assert first.number == 1 and first.plan["hypothesis"] == PLAN["hypothesis"]

    _edit(lead, pilot, hypothesis="Referrals fall by a fifth")
    _edit(lead, pilot, hypothesis="Referrals fall by a fifth")  # no change: no version
    assert list(pilot.versions.values_list("number", flat=True)) == [1, 2]
    first.refresh_from_db()
    assert first.plan["hypothesis"] == PLAN["hypothesis"]  # the registered plan stays

    page = lead.get(reverse("evidence:staff-version", args=[pilot.slug, 2]), **HOST)
    diff = page.content.decode().split('id="diff"')[1].split("</table>")[0]
    assert "Hypothesis" in diff and "<del>" + PLAN["hypothesis"] in diff
    assert "<ins>Referrals fall by a fifth" in diff and "Title" not in diff
    event = AuditEvent.objects.filter(action="evidence.pilot_updated").latest("pk")
    assert event.detail == {"version": None, "fields": []}
    assert AuditEvent.objects.filter(
        action="evidence.pilot_updated", detail__fields=["hypothesis"], detail__version=2
    ).exists()


def test_a_changed_primary_outcome_is_flagged_on_the_public_page(
    lead: Client, analysed: Callable[..., Analysis]
) -> None:
    pilot = analysed().pilot
    _register(lead, pilot)
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PUBLISHED)
    card = reverse("evidence:card", args=[pilot.slug])
    assert 'id="outcome-changed"' not in Client().get(card, **HOST).content.decode()

    _edit(lead, pilot, hypothesis="Referrals fall")  # not the primary outcome: no flag
    assert 'id="outcome-changed"' not in Client().get(card, **HOST).content.decode()

    _edit(lead, pilot, hypothesis="Referrals fall", primary_outcome="Repeat referrals")
    page = Client().get(card, **HOST).content.decode()
    assert 'id="outcome-changed"' in page
    assert "Crisis referrals" in page and "Repeat referrals" in page
    library = Client().get(reverse("evidence:library"), **HOST).content.decode()
    assert "The primary outcome was changed after registration." in library


def test_registration_warns_when_the_pilot_cannot_answer_its_question(
    lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    # 20 wards of 300, ICC 0.05, sd 15: the MDE is about 7.4 referrals a month
    able = make_pilot(slug="able", expected_effect=10)
    small = make_pilot(slug="small", expected_effect=2)
    tiny = make_pilot(slug="tiny", planned_clusters=2)
    for pilot in (able, small, tiny):
        _register(lead, pilot)
        pilot.refresh_from_db()
    assert able.mde is not None and 2 < able.mde < 10
    assert small.mde == able.mde and tiny.mde is None and tiny.mde_problem

    def page(p: Pilot) -> str:
        return lead.get(reverse("evidence:staff-pilot", args=[p.slug]), **HOST).content.decode()

    assert 'id="mde-warning"' not in page(able)
    assert 'id="mde-warning"' in page(small) and "too small to detect an effect of 2" in page(small)
    assert 'id="mde-warning"' in page(tiny) and "Plan at least three units" in page(tiny)
    assert AuditEvent.objects.get(
        action="evidence.pilot_registered", object_id=str(small.pk)
    ).detail["cannot_answer"]
