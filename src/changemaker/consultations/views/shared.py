"""What the public and the staff pages share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from changemaker.consultations import selectors
from changemaker.consultations.models import Consultation
from changemaker.core.models import Council
from changemaker.core.registry import PROPOSALS
from changemaker.core.views.base import current_council


def consultation_or_404(request: HttpRequest, slug: str) -> Consultation:
    return get_object_or_404(Consultation, council=current_council(request), slug=slug)


def audience_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An invited-only consultation's pages are for its invited people and staff: others are
    sent to sign in, or refused once signed in."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        if not selectors.may_see(consultation_or_404(request, slug), user):
            if user is None:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return view(request, slug, *args, **kwargs)

    return wrapped


def proposal_sinks(council: Council) -> list[tuple[str, Any, list[tuple[str, str]]]]:
    """Where a statement that unites everyone may go (other capabilities' proposals, e.g. a
    budget idea): (key, label, targets), those with somewhere open now."""
    found = []
    for key, sink in sorted(PROPOSALS.items()):
        if key.startswith("consultations."):
            continue
        targets = sink.targets(council)
        if targets:
            found.append((key, sink.label, targets))
    return found
