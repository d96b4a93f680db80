"""Issue 17's demo: Exampleton's difference-in-differences takes its outcome from the linked
data, as a service lead would. The shared view of need counts the people newly referred to
the crisis team by ward and month (small numbers hidden, the extract in the access log); the
pilot register analyses those counts with the inference its six wards call for, rates the
evidence and publishes the card, which pools with the second demo council's."""

from __future__ import annotations

import csv
import io
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from changemaker.core import demo_story as story
from changemaker.core.models import AuditEvent, Council, Ward
from changemaker.evidence import selectors
from changemaker.evidence.models import Analysis, Pilot
from changemaker.insight.models import Flag, Indicator

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "exampleton.test"}


def test_the_demo_pilot_is_analysed_from_the_shared_view_of_need(settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "exampleton.test", "northbrook.localhost"]
    call_command("load_demo", stdout=StringIO())
    council = Council.objects.get(slug="exampleton")
    wards = list(Ward.objects.filter(council=council).order_by("code"))
    months = story.PILOT_MONTHS_BEFORE + story.PILOT_MONTHS_AFTER

    indicator = Indicator.objects.get(council=council, name=story.CRISIS_INDICATOR)
    referred = Flag.objects.filter(indicator=indicator).count()
    assert referred >= 20 * len(wards) * months  # enough for most ward-months to be shown

    pilot = Pilot.objects.get(council=council, slug="crisis-prevention-wards")
    analysis = Analysis.objects.filter(data__pilot=pilot).select_related("data").get()
    data = analysis.data
    assert data.source == f"People newly flagged each month: {story.CRISIS_INDICATOR}"
    rows = list(csv.DictReader(io.StringIO(data.text)))
    assert len(rows) == data.n_rows == len(wards) * months
    treated = {r["ward"] for r in rows if r["group"] == "1"}
    assert treated == {w.code for w in wards[: story.PILOT_WARDS]}
    hidden = [r for r in rows if r["count"] == ""]
    shown = [int(r["count"]) for r in rows if r["count"] != ""]
    assert len(hidden) <= len(rows) // 6 and min(shown) >= 10  # small numbers never leave

    # the extract is in insight's access log: counts only, nothing about anyone
    extract = AuditEvent.objects.get(action="insight.evaluation_extract", council=council)
    assert extract.detail["cells"] == len(rows) and extract.detail["suppressed"] == len(hidden)
    assert extract.detail["source"] == f"insight.indicator:{indicator.pk}"

    result = analysis.result
    assert result["design"] == "did" and result["n_clusters"] == len(wards)
    assert result["n_obs"] == len(shown)
    assert result["inference"] == "cv3"  # six wards: the cluster jackknife, and it says so
    assert any("jackknife" in reason for reason in result["reasons"])
    assert result["suppressed"] == {"cells": len(hidden), "of": len(rows)}
    # the flags were dated to fall after the start in the pilot wards
    assert result["estimate"] < 0 and result["ci"][1] < 0
    assert result["pretrend"]["periods"] == story.PILOT_MONTHS_BEFORE

    card = next(c for c in selectors.library(council) if c.pilot.pk == pilot.pk)
    assert card.direction == "fell" and card.rating.sms in {2, 3}
    key = pilot.outcome_key
    pooled = Client().get(reverse("evidence:outcome", args=[key]), **HOST).content.decode()
    assert "Across 3 pilots, crisis referrals per month fell by about" in pooled
    assert pilot.title in pooled and "Northbrook District Council" in pooled
