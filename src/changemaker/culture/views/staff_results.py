"""Results: the heatmap of units x norms, team pages, trends, one breakdown, reliability and
units' actions. Survey leads see every unit; managers see their own subtrees only
(``selectors.visible_units``). Numbers come only from the stored report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core.registry import practices
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.culture import actions, selectors
from changemaker.culture.forms import UnitActionForm
from changemaker.culture.models import Comment, OrgUnit, Wave
from changemaker.culture.rules import is_survey_lead

VIEW = "culture.view_team_results"


@council_permission(VIEW)
def my_teams(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    user = signed_in_user(request)
    lead = is_survey_lead(user, council)
    context = {
        "waves": selectors.closed_waves(council) if lead else [],
        "teams": selectors.my_teams(user, council),
    }
    return render(request, "culture/staff/my_teams.html", context)


def _closed(request: HttpRequest, pk: int) -> tuple[Wave, selectors.Results]:
    wave = selectors.wave(current_council(request), pk)
    found = selectors.results(wave)
    if found is None:
        raise Http404("No results yet")
    return wave, found


@council_permission(VIEW)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    wave, found = _closed(request, pk)
    user = signed_in_user(request)
    units = selectors.visible_units(user, wave)
    if not units:
        raise Http404("None of your units is in this wave")
    lead = is_survey_lead(user, wave.survey.council)
    context = {
        "wave": wave,
        "scales": [(s, selectors.scale_label(s)) for s in found.scales],
        "rows": selectors.heatmap(found, units),
        "reliability": found.reliability if lead else [],
        "participation": selectors.participation(wave) if lead else None,
        "reliable": selectors.RELIABLE,
        # free-text comments: the whole organisation's, for the survey lead only
        "comments": selectors.comments_shown(wave) if lead and wave.comment_question else None,
        "comments_asked": lead and bool(wave.comment_question),
        "waiting": wave.comments.filter(status=Comment.Status.FLAGGED).count() if lead else 0,
    }
    return render(request, "culture/staff/results.html", context)


def _team_context(wave: Wave, found: selectors.Results, unit: OrgUnit) -> dict[str, Any]:
    earlier = selectors.earlier_cells(wave, unit.code)
    previous, changes = selectors.changes(found, unit.code, earlier)
    positive = selectors.positive_changes(found, unit.code, earlier)
    norms = [
        {
            "label": selectors.scale_label(s),
            "cell": found.cell(unit.code, s),
            "share": selectors.positive_share(found.cell(unit.code, s)),
            "change": changes.get(s),
            "positive_change": positive.get(s),
            "trend": [
                (cells.get(s), selectors.positive_share(cells.get(s))) for _wave, cells in earlier
            ],
            "by_value": [(v, found.cell(unit.code, s, v)) for v in found.values],
        }
        for s in found.scales
    ]
    weakest = selectors.weakest_scale(found, unit)
    return {
        "wave": wave,
        "unit": unit,
        "norms": norms,
        "values": found.values,
        "earlier": [w for w, _cells in earlier],
        "previous": previous,
        "scales": [(s, selectors.scale_label(s)) for s in found.scales],
        "weakest": weakest,
        "weakest_label": selectors.scale_label(weakest) if weakest else "",
        "rows": selectors.heatmap(found, selectors.subtree(unit)),
        "actions": selectors.unit_actions(unit),
    }


@council_permission(VIEW)
def team(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    wave, found = _closed(request, pk)
    shown = selectors.visible_unit(signed_in_user(request), wave, unit)
    context = _team_context(wave, found, shown)
    context["form"] = UnitActionForm(practices=practices(wave.survey.council))
    return render(request, "culture/staff/team.html", context)


@council_permission(VIEW)
@require_POST
def team_action(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    wave, found = _closed(request, pk)
    shown = selectors.visible_unit(signed_in_user(request), wave, unit)
    weakest = selectors.weakest_scale(found, shown)
    form = UnitActionForm(request.POST, practices=practices(wave.survey.council))
    if form.is_valid() and weakest is None:
        form.add_error(None, _("This team's results are hidden, so there is no weakest norm"))
    if not form.is_valid():
        context = _team_context(wave, found, shown)
        context["form"] = form
        return render(request, "culture/staff/team.html", context)
    actions.record_unit_action(
        shown,
        scale=str(weakest),
        description=form.cleaned_data["description"],
        practice=form.cleaned_data.get("practice", ""),
        practice_title=form.titles.get(form.cleaned_data.get("practice", ""), ""),
        by=signed_in_user(request),
    )
    messages.success(request, _("Your action has been recorded. The next wave will ask about it."))
    return redirect("culture:team", pk, unit)
