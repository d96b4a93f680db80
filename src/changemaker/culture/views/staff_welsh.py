"""The survey lead writes the Welsh of a wave's own words (the "Still to translate" page links
here). Behind ``culture.run_surveys``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.culture import actions, selectors
from changemaker.culture.forms import WaveWelshForm
from changemaker.culture.welsh import option_pairs

RUN = "culture.run_surveys"


@council_permission(RUN)
def wave_welsh(request: HttpRequest, pk: int) -> HttpResponse:
    """The Welsh of the survey's and the wave's names and of the wave's questions."""
    found = selectors.wave(current_council(request), pk)
    form = WaveWelshForm(request.POST or None, wave=found)
    if request.method == "POST" and form.is_valid():
        try:
            actions.translate_wave(found, by=signed_in_user(request), **form.welsh())
        except actions.ActionError as exc:
            form.add_error("options_cy", str(exc))
        else:
            messages.success(request, _("Welsh version saved"))
            return redirect("culture:wave", pk)
    context = {"wave": found, "form": form, "options": option_pairs(found)}
    return render(request, "culture/staff/wave_welsh.html", context)
