"""Load the demo council, Exampleton. Idempotent: running it twice changes nothing."""

from __future__ import annotations

from base64 import b32decode
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core import actions
from changemaker.core.models import Council, Role, RoleAssignment, User, Ward
from changemaker.core.models.accounts import TWO_FACTOR_ROLES

DEMO_BOUNDARIES = Path(__file__).resolve().parents[2] / "fixtures" / "exampleton_wards.geojson"
DEMO_PASSWORD = "exampleton-demo-2026"  # noqa: S105 - published demo sign-in, dev only
# The published authenticator key of the demo staff whose roles need two-factor sign-in (add it
# to any authenticator app), dev only like the password.
DEMO_TOTP_KEY = "EXAMPLETONDEMOKEYTWOFACTOR234567"
WARDS = [
    ("Abbey", "E05099001", ["EX1", "EX2"]),
    ("Castle Hill", "E05099002", ["EX3"]),
    ("Riverside", "E05099003", ["EX4", "EX5"]),
    ("St Anne's", "E05099004", ["EX6"]),
    ("Westgate", "E05099005", ["EX7", "EX8"]),
    ("Northfield", "E05099006", ["EX9"]),
]
PEOPLE = [
    (Role.RESIDENT, "resident@exampleton.example", "Riya Resident"),
    (Role.ENGAGEMENT_OFFICER, "engagement@exampleton.example", "Evan Engagement"),
    (Role.SUPPORT_COORDINATOR, "support@exampleton.example", "Sam Support"),
    (Role.DATA_OFFICER, "data@exampleton.example", "Dana Data"),
    (Role.PRACTITIONER, "practitioner@exampleton.example", "Priya Practitioner"),
    (Role.EVIDENCE_LEAD, "evidence@exampleton.example", "Eve Evidence"),
    (Role.SURVEY_LEAD, "survey@exampleton.example", "Sol Survey"),
    (Role.COUNCIL_ADMIN, "admin@exampleton.example", "Ash Admin"),
    (Role.PLATFORM_ADMIN, "platform@exampleton.example", "Pat Platform"),
]


class Command(BaseCommand):
    help = "Load the demo council Exampleton, its wards and one demo account per role."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        council, _ = Council.objects.get_or_create(
            slug="exampleton",
            defaults={
                "name": "Exampleton Borough Council",
                "brand_colour": "#005a70",
                "contact_email": "participate@exampleton.example",
                "contact_phone": "01632 960000",
                "contact_address": "Town Hall, 1 High Street, Exampleton EX1 1AA",
                "website": "https://exampleton.example",
                "is_default": True,
            },
        )
        for name, code, districts in WARDS:
            Ward.objects.get_or_create(
                code=code,
                defaults={"council": council, "name": name, "postcode_districts": districts},
            )
        if council.wards.filter(boundary__isnull=True).exists():
            # Invented boundaries (fixtures/exampleton_wards.geojson: ONS's shape, made-up lines
            # around the demo postcodes), read by the same import as a council's real file.
            actions.import_ward_boundaries(
                council, DEMO_BOUNDARIES.read_bytes(), file=DEMO_BOUNDARIES.name, by=None
            )
        rows = []
        for role, email, name in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    name=name,
                    email_verified_at=timezone.now(),
                    is_staff=role == Role.PLATFORM_ADMIN,
                )
            RoleAssignment.objects.get_or_create(
                user=user,
                council=None if role == Role.PLATFORM_ADMIN else council,
                role=role,
            )
            if role in TWO_FACTOR_ROLES:
                TOTPDevice.objects.get_or_create(
                    user=user,
                    name="Demo authenticator",
                    defaults={"key": b32decode(DEMO_TOTP_KEY).hex(), "confirmed": True},
                )
            rows.append((Role(role).label, email, role in TWO_FACTOR_ROLES))
        for app in apps.get_app_configs():
            # Each capability may add its own demo content (idempotent, like this command).
            if app.name.startswith("changemaker.") and module_has_submodule(app.module, "demo"):
                demo = import_module(f"{app.name}.demo")
                for made in demo.load(council):
                    self.stdout.write(f"Loaded {made}")
        self.stdout.write(f"Demo council: {council.name}")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for label, email, needs_code in rows:
            self.stdout.write(f"  {label:<32} {email}{'  (two-factor)' if needs_code else ''}")
        key = " ".join(DEMO_TOTP_KEY[i : i + 4] for i in range(0, len(DEMO_TOTP_KEY), 4))
        self.stdout.write(
            "Two-factor accounts ask for a code from an authenticator app set up with the key "
            f"{key} (or run the dev server with CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR=1)."
        )
