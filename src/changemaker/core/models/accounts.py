from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.permissions import has_perm as rule_holds
from rules.permissions import perm_exists

from .councils import Council


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ENGAGEMENT_OFFICER = "engagement_officer", _("Engagement officer")
    SUPPORT_COORDINATOR = "support_coordinator", _("Community-support coordinator")
    DATA_OFFICER = "data_officer", _("Early-help data officer")
    PRACTITIONER = "practitioner", _("Early-help practitioner")
    EVIDENCE_LEAD = "evidence_lead", _("Evidence lead")
    SURVEY_LEAD = "survey_lead", _("Staff survey lead")
    COUNCIL_ADMIN = "council_admin", _("Council administrator")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


STAFF_ROLES = frozenset(Role) - {Role.RESIDENT}

# Roles that see personal records, so must sign in with two factors (an authenticator app or a
# recovery code) before any page: community-support coordinators (volunteers, help requests,
# safeguarding concerns; partner coordinators hold this role too), early-help data officers and
# practitioners (the shared view of need), council administrators (staff invitations, the audit
# log), staff survey leads (the staff list's email addresses) and platform administrators (the
# Django admin: every record). Engagement officers and evidence leads see public ideas,
# anonymous ballots and statements, and counts: not forced.
TWO_FACTOR_ROLES = frozenset(
    {
        Role.SUPPORT_COORDINATOR,
        Role.DATA_OFFICER,
        Role.PRACTITIONER,
        Role.SURVEY_LEAD,
        Role.COUNCIL_ADMIN,
        Role.PLATFORM_ADMIN,
    }
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, email_verified_at=timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Roles come from RoleAssignment, per council."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("can use the Django admin"), default=False, help_text=_("Platform administrators only.")
    )
    email_verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        # Never the e-mail address: str() ends up in logs and audit labels.
        return f"person #{self.pk}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def roles_in(self, council: Council | None) -> set[str]:
        """The roles this person holds in a council (platform admins hold theirs everywhere)."""
        if not self.is_authenticated or not self.is_active:
            return set()
        cache: dict[int | None, set[str]] | None = getattr(self, "_role_cache", None)
        if cache is None:
            cache = {}
            for council_id, role in self.role_assignments.values_list("council_id", "role"):
                cache.setdefault(council_id, set()).add(role)
            self._role_cache = cache
        roles = set(cache.get(council.pk if council else None, set()))
        roles |= cache.get(None, set()) & {Role.PLATFORM_ADMIN}
        if self.is_superuser:
            roles.add(Role.PLATFORM_ADMIN)
        return roles

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Django lets a superuser do anything; the platform's own permissions (``rules``,
        checked per council) hold only for the roles that have them, superusers included:
        a platform administrator does not see a council's personal data by being one."""
        if perm_exists(perm):
            return self.is_active and bool(rule_holds(perm, self, obj))
        return super().has_perm(perm, obj)

    def needs_two_factor(self, council: Council | None) -> bool:
        """Whether this person must sign in with two factors on this council's site."""
        return self.is_staff or bool(self.roles_in(council) & TWO_FACTOR_ROLES)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        help_text=_("Empty only for platform administrators."),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "council", "role"], name="role_once_per_council"
            ),
        ]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.council or _('all councils')})"


class Invitation(models.Model):
    """A staff invitation. Only a hash of the token is kept."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class EnrolmentLink(models.Model):
    """A one-time link, emailed to the account's address, that proves the address before an
    authenticator is set up on an account with none (holding the password is not enough).
    Only a hash of the token is kept; it lasts ``ENROLMENT_LINK_MINUTES`` and is used once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("two-factor set-up link")
        verbose_name_plural = _("two-factor set-up links")

    def __str__(self) -> str:
        return f"enrolment link #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
