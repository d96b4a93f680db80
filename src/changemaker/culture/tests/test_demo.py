"""The demo survey: two closed waves with results; loading it again changes nothing."""

from __future__ import annotations

import pytest

from changemaker.core.models import AuditEvent, Council
from changemaker.culture import demo
from changemaker.culture.models import OrgUnit, Response, Wave, WaveReport
from changemaker.culture.welsh import wave_welsh_missing

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(council: Council) -> None:
    made = demo.load(council)
    assert made and "Exampleton staff survey" in made[0]
    waves = Wave.objects.filter(survey__council=council)
    assert [w.status for w in waves] == ["closed", "closed"]
    assert WaveReport.objects.count() == 2
    assert Response.objects.count() == 2 * demo.RESPONDENTS
    assert OrgUnit.objects.filter(wave=waves[0]).count() == 121
    assert waves[1].items.filter(code="act_last").exists()  # the first wave's action is asked
    # Real Welsh for the lead's own words (walk finding F9): nothing left to translate.
    assert [wave_welsh_missing(w) for w in waves] == [[], []]
    assert waves[0].survey.name_cy == "Arolwg staff Exampleton"
    assert waves[0].characteristic_options_cy[3] == "Uwch arweinyddiaeth"
    counts = (Response.objects.count(), OrgUnit.objects.count(), AuditEvent.objects.count())
    assert demo.load(council) == []
    assert (Response.objects.count(), OrgUnit.objects.count(), AuditEvent.objects.count()) == counts
