"""Results pages: suppressed cells are marked and carry no number; managers see their own
subtree only; the weakest norm's action is recorded and the next wave asks about it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core.models import Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.culture import actions, selectors
from changemaker.culture.models import OrgUnit, UnitAction, UnitManager, Wave
from changemaker.culture.tests.conftest import HOST, PEOPLE

pytestmark = pytest.mark.django_db


def rows(html: str) -> dict[str, str]:
    """The heatmap's rows by unit name."""
    found = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S):
        name = re.search(r'<th scope="row"[^>]*><a [^>]*>([^<]+)</a>', row)
        if name:
            found[name.group(1)] = row
    return found


def true_sizes(wave: Wave) -> dict[str, int]:
    """How many people answered in each unit's subtree (from the set-up, not the report)."""
    return {
        u.name: sum(PEOPLE.get(s.code, 0) for s in selectors.subtree(u)) for u in wave.units.all()
    }


def test_suppressed_cells_are_marked_with_the_reason_and_show_no_number(
    closed_wave: Wave, client_as: Callable[..., Client]
) -> None:
    html = (
        client_as(Role.SURVEY_LEAD)
        .get(reverse("culture:results", args=[closed_wave.pk]), **HOST)
        .text
    )
    table = rows(html)
    sizes = true_sizes(closed_wave)
    report = closed_wave.report.data["cells"]
    hidden = {c["unit"] for c in report if c["suppressed"] and c["breakdown"] is None}
    assert "REABLE" in hidden  # 2 people, below 5
    for unit in closed_wave.units.all():
        row = table[unit.name]
        if unit.code in hidden:
            assert "Hidden" in row and 'href="#why-hidden"' in row
            # the group's size appears nowhere on the page
            assert f"{sizes[unit.name]} people" not in html
        else:
            assert f"{sizes[unit.name]} people" in row
    assert 'id="why-hidden"' in html and "fewer than 5 people answered" in html


def test_a_manager_sees_only_their_subtree(
    closed_wave: Wave, make_user: Callable[..., User]
) -> None:
    manager = make_user(None, email="boss@exampleton.example")
    adults = OrgUnit.objects.get(wave=closed_wave, code="ADULTS")
    UnitManager.objects.create(unit=adults, email=manager.email)
    client = sign_in(Client(), manager)
    teams = client.get(reverse("culture:my-teams"), **HOST)
    assert teams.status_code == 200 and "Adult social care" in teams.text
    html = client.get(reverse("culture:results", args=[closed_wave.pk]), **HOST).text
    assert set(rows(html)) == {"Adult social care", "Occupational therapy", "Reablement"}
    assert "Reliability" not in html  # organisation-level: for the survey lead
    for code, status in {"OT": 200, "ADULTS": 200, "PARKS": 404, "ORG": 404, "PLACE": 404}.items():
        unit = OrgUnit.objects.get(wave=closed_wave, code=code)
        page = client.get(reverse("culture:team", args=[closed_wave.pk, unit.pk]), **HOST)
        assert page.status_code == status, code
    other = sign_in(Client(), make_user(None))
    assert other.get(reverse("culture:my-teams"), **HOST).status_code == 403


def test_an_action_on_the_weakest_norm_makes_the_next_wave_ask_about_it(
    closed_wave: Wave,
    make_wave: Callable[..., Wave],
    client_as: Callable[..., Client],
    lead: User,
) -> None:
    client = client_as(Role.SURVEY_LEAD)
    ot = OrgUnit.objects.get(wave=closed_wave, code="OT")
    url = reverse("culture:team-action", args=[closed_wave.pk, ot.pk])
    refused = client.post(url, {"description": ""}, **HOST)
    assert "Say what your team will do" in refused.text
    assert client.post(url, {"description": "Try-it Fridays"}, **HOST).status_code == 302
    action = UnitAction.objects.get()
    found = selectors.results(closed_wave)
    assert found is not None and action.scale == selectors.weakest_scale(found, ot)
    nxt = make_wave(name="2027")
    actions.open_wave(nxt, by=lead)
    assert nxt.items.filter(code="act_last").exists()
    assert not closed_wave.items.filter(scale="action").exists()


def test_answers_in_one_pattern_give_a_report_and_say_why_omega_is_missing(
    make_wave: Callable[..., Wave], lead: User, client_as: Callable[..., Client]
) -> None:
    """Found by the web app: everyone answering 4 but one person answering 2 throughout made
    closing the wave crash (a singular correlation matrix in omega's fit)."""
    from changemaker.culture.models import Response

    wave = make_wave()
    actions.open_wave(wave, by=lead)
    units = {u.code: u for u in wave.units.all()}
    codes = list(wave.items.values_list("code", flat=True))
    Response.objects.bulk_create(
        Response(wave=wave, unit=units["OT"], answers=dict.fromkeys(codes, 2 if i == 0 else 4))
        for i in range(12)
    )
    actions.close_wave(wave, by=lead, report_now=True)
    rows_ = wave.report.data["reliability"]
    assert rows_ and all(r["omega"] is None for r in rows_)
    assert {r["reason"] for r in rows_} <= {
        "omega_items_perfectly_correlated",
        "omega_needs_three_items",
        "one_item",
    }
    html = client_as(Role.SURVEY_LEAD).get(reverse("culture:results", args=[wave.pk]), **HOST)
    assert html.status_code == 200
    assert "people answered the statements in exactly the same pattern" in html.text


def _scores(wave: Wave, codes: set[str], scale: str) -> list[float]:
    """Respondent scores of one norm in units ``codes``, from the stored responses."""
    items = list(wave.items.filter(scale=scale))
    found = []
    for r in wave.responses.filter(unit__code__in=codes):
        answers = [
            6 - r.answers[it.code] if it.reverse else r.answers[it.code]
            for it in items
            if r.answers.get(it.code)
        ]
        if answers:
            found.append((sum(answers) / len(answers) - 1) * 25)
    return found


def test_team_pages_show_the_change_since_the_last_wave_with_welchs_interval(
    closed_wave: Wave,
    make_wave: Callable[..., Wave],
    lead: User,
    client_as: Callable[..., Client],
) -> None:
    from scipy.stats import ttest_ind

    from changemaker.culture.tests.conftest import add_responses

    later = make_wave(name="2027")
    actions.open_wave(later, by=lead)
    add_responses(later, {**PEOPLE, "OT": 12}, seed=7)
    actions.close_wave(later, by=lead, report_now=True)
    client = client_as(Role.SURVEY_LEAD)
    ot = OrgUnit.objects.get(wave=later, code="OT")
    html = client.get(reverse("culture:team", args=[later.pk, ot.pk]), **HOST).text
    assert "Change since 2026" in html and "Welch" in html
    scale = later.items.first().scale  # type: ignore[union-attr]
    ci = ttest_ind(
        _scores(later, {"OT"}, scale), _scores(closed_wave, {"OT"}, scale), equal_var=False
    ).confidence_interval(0.95)
    assert f"(95% interval {ci.low:.1f} to {ci.high:.1f})" in html.replace("&nbsp;", " ")
    # REABLE is hidden in both waves: its page shows no change, only why
    reable = OrgUnit.objects.get(wave=later, code="REABLE")
    hidden = client.get(reverse("culture:team", args=[later.pk, reable.pk]), **HOST).text
    assert "Not worked out: hidden in one of the waves" in hidden
    assert "95% interval" not in hidden


def _positive(wave: Wave, codes: set[str], scale: str) -> tuple[int, float]:
    """(people, share of their answers that are 4 or 5) of one norm in units ``codes``."""
    items = list(wave.items.filter(scale=scale))
    people = positive = answered = 0
    for r in wave.responses.filter(unit__code__in=codes):
        answers = [
            6 - r.answers[it.code] if it.reverse else r.answers[it.code]
            for it in items
            if r.answers.get(it.code)
        ]
        if answers:
            people += 1
            positive += sum(a >= 4 for a in answers)
            answered += len(answers)
    return people, positive / answered


def test_team_pages_show_the_change_in_percent_positive_with_newcombes_interval(
    closed_wave: Wave,
    make_wave: Callable[..., Wave],
    lead: User,
    client_as: Callable[..., Client],
) -> None:
    from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

    from changemaker.culture.tests.conftest import add_responses

    later = make_wave(name="2027")
    actions.open_wave(later, by=lead)
    add_responses(later, {**PEOPLE, "OT": 12}, seed=7)
    actions.close_wave(later, by=lead, report_now=True)
    client = client_as(Role.SURVEY_LEAD)
    ot = OrgUnit.objects.get(wave=later, code="OT")
    html = client.get(reverse("culture:team", args=[later.pk, ot.pk]), **HOST).text
    html = html.replace("&nbsp;", " ").replace("&#x27;", "'")
    assert "Newcombe's method" in html and "Wilson interval" in html
    scale = later.items.first().scale  # type: ignore[union-attr]
    (n1, p1), (n2, p2) = _positive(closed_wave, {"OT"}, scale), _positive(later, {"OT"}, scale)
    low, high = confint_proportions_2indep(p2 * n2, n2, p1 * n1, n1, method="newcomb")
    d, low, high = 100 * (p2 - p1), 100 * float(low), 100 * float(high)
    if low > 0:
        words = f"% positive: up {d:.1f} points (from {low:.1f} to {high:.1f} points)"
    elif high < 0:
        words = f"% positive: down {-d:.1f} points (from {-high:.1f} to {-low:.1f} points)"
    else:
        words = f"% positive: no clear change, {d:.1f} points (from {low:.1f} to {high:.1f}"
    assert words in html
    for n, p in ((n1, p1), (n2, p2)):  # each wave's Wilson interval
        lo, hi = proportion_confint(p * n, n, method="wilson")
        assert f"% positive: 95% interval {100 * lo:.0f}% to {100 * hi:.0f}%" in html
    # REABLE is hidden in both waves: no % positive, no change, no interval
    reable = OrgUnit.objects.get(wave=later, code="REABLE")
    hidden = client.get(reverse("culture:team", args=[later.pk, reable.pk]), **HOST).text
    assert "% positive:" not in hidden


def test_the_practice_is_chosen_from_the_registered_practice_sources(
    closed_wave: Wave,
    client_as: Callable[..., Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Culture names no other capability: practices come from core.registry's sources (the
    evidence capability registers its practice library: tests/test_practice_sources.py)."""
    from changemaker.core import registry

    def library(council: object) -> list[tuple[str, str]]:
        return [("Try-it Fridays", "/evidence/try-it-fridays/")]

    monkeypatch.setattr(registry, "PRACTICE_SOURCES", [library])
    client = client_as(Role.SURVEY_LEAD)
    ot = OrgUnit.objects.get(wave=closed_wave, code="OT")
    page = client.get(reverse("culture:team", args=[closed_wave.pk, ot.pk]), **HOST).text
    assert '<option value="/evidence/try-it-fridays/">Try-it Fridays</option>' in page
    url = reverse("culture:team-action", args=[closed_wave.pk, ot.pk])
    forged = client.post(url, {"description": "Try", "practice": "https://evil.example"}, **HOST)
    assert "Choose a practice from the list" in forged.text
    assert not UnitAction.objects.exists()
    done = client.post(url, {"description": "Try", "practice": "/evidence/try-it-fridays/"}, **HOST)
    assert done.status_code == 302
    action = UnitAction.objects.get()
    assert (action.practice, action.practice_title) == (
        "/evidence/try-it-fridays/",
        "Try-it Fridays",
    )
    after = client.get(reverse("culture:team", args=[closed_wave.pk, ot.pk]), **HOST).text
    assert '<a class="govuk-link" href="/evidence/try-it-fridays/">Try-it Fridays</a>' in after
    monkeypatch.setattr(registry, "PRACTICE_SOURCES", [])
    none = client.get(reverse("culture:team", args=[closed_wave.pk, ot.pk]), **HOST).text
    assert 'name="practice"' not in none  # nothing to choose from: no field
