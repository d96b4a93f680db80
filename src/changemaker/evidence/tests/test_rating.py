"""The suggested rating comes with itemised reasons and what would raise it; an evaluator may
override it with a reason, which is audited."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Role
from changemaker.evidence.explain import rating
from changemaker.evidence.models import Analysis, Pilot
from changemaker.evidence.tests.conftest import HOST


def test_the_suggestion_follows_the_engine_with_reasons(analysed: Callable[..., Analysis]) -> None:
    analysis = analysed()
    found = rating(analysis.pilot, analysis.result)
    assert found.sms == analysis.result["sms_level"] == 3  # 6 months before, parallel trends
    assert found.nesta == 3 and not found.overridden
    assert found.reasons[0].startswith("Maryland 3: difference-in-differences")
    assert any("No detectable pre-trend" in r for r in found.reasons)
    assert any("at random" in r for r in found.to_raise)
    assert any("replication" in r for r in found.to_raise)


def test_without_results_only_nesta_1(make_pilot: Callable[..., Pilot]) -> None:
    found = rating(make_pilot(), None)
    assert found.sms is None and found.nesta == 1


def test_an_evaluator_overrides_with_a_reason_and_it_is_audited(
    analysed: Callable[..., Analysis], client_as: Callable[[str | None], Client]
) -> None:
    pilot = analysed().pilot
    url = reverse("evidence:staff-rating", args=[pilot.slug])
    lead = client_as(Role.EVIDENCE_LEAD)
    page = lead.post(url, {"sms": "2", "nesta": "", "reason": ""}, **HOST).content.decode()
    assert "There is a problem" in page and "Give the reason for the rating" in page
    assert not AuditEvent.objects.filter(action="evidence.rating_overridden").exists()

    reason = "A third of the comparison wards ran their own scheme"
    assert lead.post(url, {"sms": "2", "nesta": "", "reason": reason}, **HOST).status_code == 302
    pilot.refresh_from_db()
    assert (pilot.sms_override, pilot.nesta_override, pilot.override_reason) == (2, None, reason)
    event = AuditEvent.objects.get(action="evidence.rating_overridden")
    assert event.detail == {
        "before": {"sms": None, "nesta": None},
        "after": {"sms": 2, "nesta": None},
    }
    assert reason not in str(event.detail) and event.actor is not None

    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PUBLISHED)
    card = Client().get(reverse("evidence:card", args=[pilot.slug]), **HOST).content.decode()
    assert "Level 2 of 5" in card and reason in card and "An evaluator set this rating" in card


def test_a_council_administrator_may_not_rate(
    analysed: Callable[..., Analysis], client_as: Callable[[str | None], Client]
) -> None:
    pilot = analysed().pilot
    url = reverse("evidence:staff-rating", args=[pilot.slug])
    response = client_as(Role.COUNCIL_ADMIN).post(url, {"sms": "5", "reason": "x"}, **HOST)
    assert response.status_code == 403
    pilot.refresh_from_db()
    assert pilot.sms_override is None
