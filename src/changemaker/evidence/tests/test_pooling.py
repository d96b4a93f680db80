"""Published pilots measuring the same outcome (the shared outcome key) are pooled with the
engine's random-effects meta-analysis on a public page: a forest plot (inline SVG with a title
and description, the same numbers in a table), the pooled estimate, tau², I² and its limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core.tests.factories import CouncilFactory
from changemaker.evidence import adapter, explain
from changemaker.evidence import engine as ev
from changemaker.evidence.models import Analysis, Pilot
from changemaker.evidence.tests.conftest import HOST, PLAN

KEY = "crisis-referrals-per-month"


def _study(
    analysed: Callable[..., Analysis], slug: str, estimate: float, se: float | None, **more: Any
) -> Analysis:
    analysis = analysed(slug=slug, title=f"Pilot {slug}", outcome_key=KEY, **more)
    low = None if se is None else estimate - 1.96 * se
    high = None if se is None else estimate + 1.96 * se
    analysis.result = {**analysis.result, "estimate": estimate, "se": se, "ci": [low, high]}
    analysis.estimate, analysis.ci_low, analysis.ci_high = estimate, low, high
    analysis.save()
    if more.get("status") is None:
        Pilot.objects.filter(pk=analysis.pilot.pk).update(status=Pilot.Status.PUBLISHED)
    return analysis


def _numbers(page: str, cell_id: str) -> str:
    found = re.search(rf'id="{cell_id}">([^<]*)<', page)
    assert found, cell_id
    return found.group(1)


def test_pilots_with_the_same_outcome_are_pooled(analysed: Callable[..., Analysis]) -> None:
    effects = [(-12.0, 2.0), (-8.0, 3.0), (-3.0, 2.5)]
    for n, (estimate, se) in enumerate(effects):
        _study(analysed, f"s{n}", estimate, se)
    _study(analysed, "no-se", -20.0, None)  # left out, and said so
    _study(analysed, "draft", 50.0, 1.0, status="live")  # not published: not pooled
    other = analysed(slug="other-outcome", title="Other outcome", outcome_key="repeat-visits")
    Pilot.objects.filter(pk=other.pilot.pk).update(status=Pilot.Status.PUBLISHED)
    elsewhere = CouncilFactory(name="Riverside", slug="riverside", domain="riverside.test")
    Pilot.objects.create(council=elsewhere, slug="x", status="published", outcome_key=KEY)

    response = Client().get(reverse("evidence:outcome", args=[KEY]), **HOST)
    assert response.status_code == 200
    page = response.content.decode()
    expected = ev.pool([e for e, _ in effects], [s for _, s in effects], method="reml")
    assert expected.tau2 > 0  # the three effects differ more than chance: real heterogeneity
    places = 1
    assert _numbers(page, "tau2") == explain.number(expected.tau2, 2)
    assert _numbers(page, "i2") == f"{explain.number(expected.i2, 0)}%"
    assert (
        f"Across 3 pilots, crisis referrals per month fell by about {-expected.estimate:.{places}f}"
        in page
    )
    # the forest plot: inline SVG with its title and description, and the same numbers as a table
    assert '<svg role="img" aria-labelledby="forest-title forest-desc"' in page
    assert page.count("<rect ") == 3 and "<polygon " in page
    assert "Forest plot in numbers" in page
    for n, (estimate, _se) in enumerate(effects):
        assert f"Pilot s{n}" in page and explain.number(estimate, places) in page
    weights = [1 / (s**2 + expected.tau2) for _, s in effects]
    assert f"{explain.number(100 * weights[0] / sum(weights), 1)}%" in page
    assert "Left out" in page and "Pilot no-se" in page
    assert "Pilot draft" not in page and "Other outcome" not in page and "Riverside" not in page
    assert "Its limits" in page and "With only 3 pilots" in page
    # the card links to its outcome's page; the index lists the key
    card = Client().get(reverse("evidence:card", args=["s0"]), **HOST).content.decode()
    assert reverse("evidence:outcome", args=[KEY]) in card
    index = Client().get(reverse("evidence:outcomes"), **HOST).content.decode()
    assert "Crisis referrals per month" in index and "Repeat visits" in index


def test_one_pilot_is_shown_but_not_pooled_and_no_pilot_is_404(
    analysed: Callable[..., Analysis],
) -> None:
    _study(analysed, "alone", -5.0, 2.0)
    page = Client().get(reverse("evidence:outcome", args=[KEY]), **HOST).content.decode()
    assert 'id="not-pooled"' in page and "Pilot alone" in page and "<polygon" not in page
    missing = Client().get(reverse("evidence:outcome", args=["nothing-here"]), **HOST)
    assert missing.status_code == 404


def test_reml_falls_back_to_dl_when_it_does_not_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ev.pool

    def stubborn(estimates: Any, ses: Any, *, method: str = "reml") -> ev.Pooled:
        if method == "reml":
            raise ev.EvidenceError("the REML estimate did not converge; try method dl")
        return real(estimates, ses, method=method)

    monkeypatch.setattr(adapter.ev, "pool", stubborn)
    pooled, problem = adapter.pool([-12.0, -8.0, -3.0], [2.0, 3.0, 2.5])
    assert pooled is not None and pooled.method == "dl" and problem == ""
    assert pooled.tau2 == pytest.approx(
        real([-12.0, -8.0, -3.0], [2.0, 3.0, 2.5], method="dl").tau2
    )
    assert "DerSimonian-Laird" in " ".join(explain.pooling_limits(3, "dl"))
    none, why = adapter.pool([-12.0], [2.0])
    assert none is None and "at least two" in why


def test_the_outcome_key_is_normalised_when_the_plan_is_saved(lead: Client) -> None:
    plan = {**PLAN, "outcome_key": "  Crisis referrals, per MONTH "}
    assert lead.post(reverse("evidence:staff-new"), plan, **HOST).status_code == 302
    assert Pilot.objects.get().outcome_key == KEY
