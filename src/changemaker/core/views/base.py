"""Helpers every view uses: the permission check and the current council."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from changemaker.core.middleware import two_factor_step
from changemaker.core.models import Council, User

View = Callable[..., HttpResponse]


def current_council(request: HttpRequest) -> Council:
    council: Council | None = getattr(request, "council", None)
    if council is None:
        raise Http404("No council is set up on this site yet")
    return council


def council_permission(perm: str, *, two_factor: bool = False) -> Callable[[View], View]:
    """Allow the view only to people who hold ``perm`` in the request's council.

    Signed-out people are sent to sign in; signed-in people without the permission get 403.
    ``two_factor``: the page shows personal data, so whoever may see it gives a second factor
    first, whatever their role (as ``TwoFactorMiddleware`` asks of the roles in
    ``TWO_FACTOR_ROLES`` on every page).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm, current_council(request)):
                raise PermissionDenied
            if (
                two_factor
                and not settings.CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR
                and not getattr(request.user, "is_verified", lambda: False)()
            ):
                return two_factor_step(request)
            return view(request, *args, **kwargs)

        wrapped.permission = perm  # type: ignore[attr-defined]
        wrapped.two_factor = two_factor  # type: ignore[attr-defined]
        return wrapped

    return decorator


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person (for views that have already checked they are signed in)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
