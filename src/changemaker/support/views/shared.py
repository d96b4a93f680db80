"""What several audiences' pages use: the check-answers flow and the coordinator's lookups."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from changemaker.core.models import Council, User
from changemaker.core.views.base import current_council, signed_in_user
from changemaker.support import rules, selectors
from changemaker.support.models import HelpRequest, Match, PartnerOrganisation, Volunteer

PAGE_SIZE = 50
SIGNED_IN = "core.use_account"
COORDINATE = "support.coordinate"


# Check-answers flows --------------------------------------------------------------------------


def stored(request: HttpRequest, key: str) -> QueryDict | None:
    """What someone typed on a question page, kept until they confirm it."""
    raw = request.session.get(key)
    if not raw:
        return None
    data = QueryDict(mutable=True)
    for name, values in raw.items():
        data.setlist(name, values)
    return data


def store(request: HttpRequest, key: str) -> None:
    request.session[key] = {
        k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"
    }


def summary(form: forms.Form) -> list[dict[str, Any]]:
    """Rows for a GOV.UK summary list: question, answer as shown, where to change it."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False) and not field.required:
            continue
        choices = dict(getattr(field, "choices", []) or [])
        choices = {str(k): v for k, v in choices.items()}
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(str(v), v)) for v in value)
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif isinstance(value, date):
            shown = value.strftime("%d/%m/%Y")
        elif isinstance(value, PartnerOrganisation):
            shown = value.name
        elif value is None and name == "organisation":
            shown = _("The council")
        else:
            shown = str(choices.get(str(form.data.get(name)), value))
        anchor = str(form[name].auto_id)
        if form[name].widget_type in {"radioselect", "checkboxselectmultiple"}:
            anchor += "_0"
        rows.append({"label": field.label, "value": shown, "id": anchor})
    return rows


# Coordinators: lists --------------------------------------------------------------------------


def paginate(request: HttpRequest, rows: Any) -> dict[str, Any]:
    """One page of ``rows`` for core's pagination partial: the page, and the request's other
    GET parameters (filters) for its links to keep."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"rows": page, "page": page, "query": query.urlencode()}


# Coordinators: what they may open ---------------------------------------------------------------


def me(request: HttpRequest) -> tuple[User, Council]:
    return signed_in_user(request), current_council(request)


def _visible[Record: (HelpRequest, Volunteer)](
    model: type[Record], request: HttpRequest, pk: int
) -> Record:
    """A volunteer or request of this council the coordinator may see, or 404."""
    user, council = me(request)
    found = get_object_or_404(model, council=council, pk=pk)
    if not rules.same_partner_organisation(user, found):
        raise Http404
    return found


def visible_request(request: HttpRequest, pk: int) -> HelpRequest:
    return _visible(HelpRequest, request, pk)


def visible_volunteer(request: HttpRequest, pk: int) -> Volunteer:
    return _visible(Volunteer, request, pk)


def visible_match(request: HttpRequest, pk: int) -> Match:
    user, council = me(request)
    return get_object_or_404(
        selectors.visible_matches(user, council).select_related("request", "volunteer"), pk=pk
    )
