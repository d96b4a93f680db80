"""Registering, signing in (two-factor: required for roles that see personal data), verifying
email, invitations."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.http import urlsafe_base64_encode as b64
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from changemaker.core import actions, audit, selectors, throttle
from changemaker.core.forms import (
    AcceptInvitationForm,
    CodeForm,
    RegistrationForm,
    SecondFactorForm,
    SignInForm,
)
from changemaker.core.images import qr_svg
from changemaker.core.models import User
from changemaker.core.net import client_ip
from changemaker.core.redirects import referring_page, refuses_get, same_site
from changemaker.core.rules import STAFF
from changemaker.core.views.base import current_council

PENDING = "changemaker.pending_2fa"
SETUP_KEY = "changemaker.totp_setup_key"
#: Proof, in this session, that the signed-in person holds their account's email address (an
#: emailed set-up link, or an invitation): needed to set up an authenticator on an account that
#: has none, so that a password alone cannot.
EMAIL_PROVED = "changemaker.email_proved"


def _prove_email(request: HttpRequest, user: User) -> None:
    until = timezone.now() + timedelta(minutes=actions.ENROLMENT_LINK_MINUTES)
    request.session[EMAIL_PROVED] = {"user": user.pk, "until": until.timestamp()}


def _email_proved(request: HttpRequest, user: User) -> bool:
    proof = request.session.get(EMAIL_PROVED) or {}
    return proof.get("user") == user.pk and proof.get("until", 0) > timezone.now().timestamp()


def _verified(request: HttpRequest) -> bool:
    """Whether the signed-in person gave their second factor in this session (django-otp)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _safe_next(request: HttpRequest) -> str:
    """Where to go after signing in: ``next`` if it is a page of this site that opens with a
    link. A button's address (a session expired as the person pressed it) would only answer
    405: the page the button was on instead, when the browser says so; else their account."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not same_site(request, target):
        return reverse("core:account")
    if refuses_get(target):
        return referring_page(request) or reverse("core:account")
    return target


def _next_step(step: str, request: HttpRequest) -> HttpResponseRedirect:
    """The next step of signing in, then on to where the person was going."""
    return redirect(f"{reverse(step)}?{urlencode({'next': _safe_next(request)}, safe='/')}")


def register(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def verify_url(user: User, token: str) -> str:
            path = reverse("core:verify-email", args=[b64(force_bytes(user.pk)), token])
            return request.build_absolute_uri(path)

        throttle.hit("account.register", client_ip(request), council=council)
        actions.register_resident(
            council=council,
            verify_url=verify_url,
            sign_in_url=request.build_absolute_uri(reverse("core:sign-in")),
            reset_url=request.build_absolute_uri(reverse("core:password-reset")),
            **form.cleaned_data,
        )
        # The same answer whether or not the address already has an account.
        return redirect("core:check-email")
    return render(request, "core/account/register.html", {"form": form})


def check_email(request: HttpRequest) -> HttpResponse:
    return render(request, "core/account/check_email.html")


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    ok = user is not None and actions.verify_email(user, token)
    return render(request, "core/account/verified.html", {"ok": ok}, status=200 if ok else 400)


def _address_paused(request: HttpRequest) -> bool:
    """Whether the client's address has failed to sign in to any accounts too often lately
    (CHANGEMAKER_SIGN_IN_ADDRESS_LIMIT within the cool-off; django-axes counts per account and
    address, and its records are summed here)."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = AccessAttempt.objects.filter(
        ip_address=client_ip(request), attempt_time__gte=since
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return (failures or 0) >= settings.CHANGEMAKER_SIGN_IN_ADDRESS_LIMIT


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _address_paused(request):
            return render(request, "core/account/locked.html", status=429)
        user = authenticate(
            request,
            email=form.cleaned_data["email"].lower(),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return render(request, "core/account/locked.html", status=429)
        if user is None:
            form.add_error(None, _("Enter a correct email address and password"))
        elif user_has_device(user, confirmed=True):
            request.session[PENDING] = {"user": user.pk, "backend": user.backend}
            return _next_step("core:sign-in-code", request)
        else:
            login(request, user)
            audit.record("account.signed_in", actor=user, council=getattr(request, "council", None))
            return redirect(_safe_next(request))
    return render(request, "core/account/sign_in.html", {"form": form, "next": _safe_next(request)})


def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: after the password, or when a signed-in person whose role
    needs two factors has not given the second one in this session (see TwoFactorMiddleware)."""
    pending = request.session.get(PENDING)
    if pending:
        user = User.objects.get(pk=pending["user"])
    elif request.user.is_authenticated and not _verified(request):
        user = request.user
        if not user_has_device(user, confirmed=True):
            return _next_step("core:two-factor", request)
    elif request.user.is_authenticated:
        return redirect(_safe_next(request))
    else:
        return redirect("core:sign-in")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = actions.check_second_factor(user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("The security code is wrong or has expired. Try again."))
        else:
            if pending:
                del request.session[PENDING]
                user.backend = pending["backend"]
                login(request, user)
            otp_login(request, device)
            audit.record(
                "account.signed_in",
                actor=user,
                council=getattr(request, "council", None),
                two_factor=True,
            )
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code. You have %(left)s left: get new ones from "
                        "your account page.",
                        "You used a recovery code. You have %(left)s left: get new ones from "
                        "your account page.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_safe_next(request))
    return render(request, "core/account/code.html", {"form": form, "next": _safe_next(request)})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out"))
    return redirect("core:home")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    council = getattr(request, "council", None)
    roles = sorted(user.role_assignments.select_related("council"), key=lambda r: r.role)
    return render(
        request,
        "core/account/account.html",
        {
            "roles": roles,
            "is_staff_member": bool(user.roles_in(council) & STAFF),
            "has_two_factor": user_has_device(user, confirmed=True),
        },
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (or remove) an authenticator app. Works without JavaScript: the key is shown as text
    and as a QR code (an inline SVG, hidden from screen readers, which read the key).

    Nothing is written until the first code is right: the key being set up waits in the session.
    """
    user: User = request.user  # type: ignore[assignment]
    council = getattr(request, "council", None)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if not _verified(request):
            return redirect(f"{reverse('core:sign-in-code')}?next={request.path}")
        if request.method == "POST" and request.POST.get("remove") == "yes":
            try:
                actions.disable_two_factor(user, council=council)
            except actions.ActionError as exc:
                messages.error(request, str(exc))
                return redirect("core:two-factor")
            messages.success(request, _("Two-factor sign-in is off"))
            return redirect("core:account")
        return render(
            request,
            "core/account/two_factor_on.html",
            {
                "can_remove": not user.needs_two_factor(council),
                "recovery_left": StaticToken.objects.filter(device__user=user).count(),
            },
        )
    if not _email_proved(request, user):
        return _ask_for_set_up_link(request, user)
    key = request.session.get(SETUP_KEY)
    if not key:
        key = random_hex(20)
        request.session[SETUP_KEY] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = actions.enable_two_factor(
                user, key=key, code=form.cleaned_data["code"].strip()
            )
        except actions.ActionError as exc:
            form.add_error("code", str(exc))
        else:
            del request.session[SETUP_KEY]
            request.session.pop(EMAIL_PROVED, None)
            otp_login(request, device)
            return render(
                request,
                "core/account/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request), "new": True},
            )
    unsaved = TOTPDevice(user=user, key=key, name="Authenticator app")
    secret = base64.b32encode(unsaved.bin_key).decode().rstrip("=")
    context: dict[str, Any] = {
        "form": form,
        "next": _safe_next(request),
        "required": user.needs_two_factor(council),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": qr_svg(unsaved.config_url),
    }
    return render(request, "core/account/two_factor.html", context)


def _ask_for_set_up_link(request: HttpRequest, user: User) -> HttpResponse:
    """Before an authenticator is set up on an account with none: email a one-time link to the
    account's address (a POST), and say so."""
    council = getattr(request, "council", None)
    if request.method == "POST" and request.POST.get("send") == "link":
        throttle.hit("account.two_factor_link", user.pk, council=council)

        def link_url(token: str) -> str:
            return request.build_absolute_uri(reverse("core:two-factor-link", args=[token]))

        actions.send_two_factor_link(user, link_url=link_url, council=council)
        messages.success(
            request,
            _("We have sent the link. It lasts %(minutes)s minutes.")
            % {"minutes": actions.ENROLMENT_LINK_MINUTES},
        )
        return redirect("core:two-factor")
    return render(
        request,
        "core/account/two_factor_email.html",
        {"required": user.needs_two_factor(council), "email": user.email},
    )


@login_required
def two_factor_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed set-up link: confirmed with a button (a mail scanner that opens links uses
    nothing up), it proves the email address in this session, then set-up carries on."""
    user: User = request.user  # type: ignore[assignment]
    if user_has_device(user, confirmed=True):
        return redirect("core:two-factor")
    if request.method == "POST":
        if actions.use_two_factor_link(user, token, council=getattr(request, "council", None)):
            _prove_email(request, user)
            return redirect("core:two-factor")
        return render(request, "core/account/two_factor_link_invalid.html", status=400)
    return render(request, "core/account/two_factor_link.html")


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; the old ones stop working."""
    user: User = request.user  # type: ignore[assignment]
    if not _verified(request):
        return redirect(f"{reverse('core:sign-in-code')}?next={reverse('core:two-factor')}")
    codes = actions.regenerate_recovery_codes(user)
    return render(
        request,
        "core/account/recovery_codes.html",
        {"codes": codes, "next": reverse("core:account"), "new": False},
    )


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's reset page, saving through an action: it works while sign-in is paused for the
    account, and ends that pause."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        actions.reset_password(form, council=getattr(self.request, "council", None))
        return HttpResponseRedirect(self.get_success_url())


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.find_invitation(token)
    if invitation is None:
        return render(request, "core/account/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if request.user.is_authenticated and request.user.pk == existing.pk:
            if request.method == "POST":
                actions.accept_invitation(invitation, user=existing)
                _prove_email(request, existing)  # the invitation came to their address
                messages.success(
                    request,
                    _("You now have the role %(role)s") % {"role": invitation.get_role_display()},
                )
                return redirect("core:staff")
            return render(
                request, "core/account/invitation_existing.html", {"invitation": invitation}
            )
        return redirect(f"{reverse('core:sign-in')}?next={request.path}")
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = actions.accept_invitation(invitation, **form.cleaned_data)
        user.backend = "django.contrib.auth.backends.ModelBackend"
        login(request, user)
        _prove_email(request, user)  # the invitation came to their address
        return redirect("core:staff")
    return render(request, "core/account/invitation.html", {"form": form, "invitation": invitation})
