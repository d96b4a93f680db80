"""Exampleton's community support: about 300 volunteers and 500 help requests in every state,
two partner organisations with their own coordinator, and proposals from a real matcher run.

Idempotent: nothing is added when Exampleton already has volunteers. Names are made up;
postcodes come from the generated demo table (fixtures/postcodes.csv).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from changemaker.core.management.commands.load_demo import DEMO_PASSWORD
from changemaker.core.models import Council, Role, RoleAssignment, User, Ward
from changemaker.support import actions
from changemaker.support.engine import Matcher
from changemaker.support.models import (
    Course,
    HelpRequest,
    Match,
    PartnerMembership,
    PartnerOrganisation,
    Postcode,
    Skill,
    TrainingRecord,
    Urgency,
    VettingLevel,
    VettingRecord,
    Volunteer,
)

FIXTURES = Path(__file__).parent / "fixtures"
FIRST = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hamza", "Isla", "Jack", "Kiran",
    "Leah", "Mo", "Nia", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik",
    "Wren", "Yusuf", "Zara",
]  # fmt: skip
LAST = [
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Roberts", "Singh", "Taylor", "Walsh",
]  # fmt: skip
STREETS = ["Mill", "Church", "Station", "Park"]
PARTNERS = ["Abbey Mutual Aid", "Riverside Good Neighbours"]
PARTNER_COORDINATOR = ("partner@exampleton.example", "Pip Partner")
DEMO_VOLUNTEER = ("volunteer@exampleton.example", "Vic Volunteer")
DEMO_RESIDENT = "resident@exampleton.example"


def _user(email: str, name: str, council: Council, role: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, name=name, email_verified_at=timezone.now()
        )
    RoleAssignment.objects.get_or_create(user=user, council=council, role=role)
    return user


def load_postcodes() -> int:
    from changemaker.support.management.commands.import_ons_postcodes import parse_onspd

    path = FIXTURES / "postcodes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows, _skipped = parse_onspd(handle, source=path.name)
    return actions.import_postcodes(rows, source=path.name)


@transaction.atomic
def load(council: Council) -> list[str]:
    if council.slug != "exampleton" or Volunteer.objects.filter(council=council).exists():
        return []
    made = []
    if not Postcode.objects.filter(postcode="EX1 1AB").exists():
        made.append(f"{load_postcodes()} demo postcodes")
    rng = random.Random(5)
    today = timezone.localdate()
    postcodes = list(Postcode.objects.filter(postcode__startswith="EX").order_by("postcode"))
    wards = {w.code: w for w in Ward.objects.filter(council=council)}
    partners = [
        PartnerOrganisation.objects.get_or_create(council=council, name=n)[0] for n in PARTNERS
    ]
    coordinator = _user(*PARTNER_COORDINATOR, council, Role.SUPPORT_COORDINATOR)
    PartnerMembership.objects.get_or_create(organisation=partners[0], user=coordinator)
    lead = User.objects.filter(email="support@exampleton.example").first()
    settings = actions.settings_for(council)
    if lead is not None and settings.safeguarding_lead_id is None:
        settings.safeguarding_lead = lead
        settings.save(update_fields=["safeguarding_lead"])

    # Volunteers -------------------------------------------------------------------------
    statuses = (
        [Volunteer.Status.APPLIED] * 20
        + [Volunteer.Status.CHECKS] * 20
        + [Volunteer.Status.ACTIVE] * 235
        + [Volunteer.Status.PAUSED] * 13
        + [Volunteer.Status.LEFT] * 12
    )
    skills = list(Skill.values)
    volunteers = []
    for n, status in enumerate(statuses, start=1):
        place = rng.choice(postcodes)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        born = today - timedelta(days=rng.randint(17 * 365 + 30, 75 * 365))
        minor = (today - born).days < 18 * 365
        volunteers.append(
            Volunteer(
                council=council,
                organisation=partners[n % 2] if n % 5 == 0 else None,
                badge_number=f"EXA-D{n:04d}",
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{last.lower()}.{n}@volunteers.example",
                phone=f"07700 900{n:03d}"[:13],
                postcode=place.postcode,
                lat=place.lat,
                lon=place.lon,
                ward=wards.get(place.ward_code),
                skills=sorted(rng.sample(skills, rng.randint(1, 3))),
                available_days=sorted(rng.sample(range(7), rng.randint(2, 5))),
                max_distance_km=rng.choice([1.0, 3.0, 3.0, 5.0, 10.0]),
                capacity=rng.choice([1, 2, 2, 3]),
                date_of_birth=born,
                guardian_name="A Guardian" if minor else "",
                guardian_email="guardian@example.org" if minor else "",
                guardian_consent_at=timezone.now() if minor else None,
                status=status,
                status_reason={
                    Volunteer.Status.PAUSED: "Away for a few weeks",
                    Volunteer.Status.LEFT: "Moved away",
                }.get(status, ""),
            )
        )
    vic = _user(*DEMO_VOLUNTEER, council, Role.RESIDENT)
    volunteers[0].status = Volunteer.Status.ACTIVE
    volunteers[0].user = vic
    volunteers[0].first_name, volunteers[0].last_name = "Vic", "Volunteer"
    volunteers[0].email = vic.email
    Volunteer.objects.bulk_create(volunteers)
    volunteers = list(Volunteer.objects.filter(council=council).order_by("badge_number"))
    vetting, training = [], []
    for n, v in enumerate(volunteers):
        if v.status in {Volunteer.Status.APPLIED}:
            continue
        level = rng.choice([VettingLevel.BASIC, VettingLevel.ENHANCED, VettingLevel.ENHANCED])
        issued = today - timedelta(days=rng.randint(30, 1000))
        # Some checks run out within the reminder window (60/30/7 days).
        expires = today + timedelta(days=rng.choice([5, 25, 45, 200, 400, 700]))
        vetting.append(
            VettingRecord(
                volunteer=v,
                level=level,
                certificate_number=f"{1000_0000_0000 + n:012d}",
                issued_on=issued,
                expires_on=expires,
            )
        )
        for course in rng.sample(list(Course.values), rng.randint(1, 4)):
            training.append(
                TrainingRecord(volunteer=v, course=course, completed_on=issued + timedelta(days=14))
            )
    VettingRecord.objects.bulk_create(vetting)
    TrainingRecord.objects.bulk_create(training)
    made.append(f"{len(volunteers)} demo volunteers")

    # Help requests ----------------------------------------------------------------------
    resident = User.objects.filter(email=DEMO_RESIDENT).first()
    plan = (
        [HelpRequest.Status.NEW] * 60
        + [HelpRequest.Status.TRIAGED] * 120
        + [HelpRequest.Status.MATCHED] * 40
        + [HelpRequest.Status.ASSIGNED] * 60
        + [HelpRequest.Status.DONE] * 180
        + [HelpRequest.Status.CANCELLED] * 40
    )
    active = [v for v in volunteers if v.status == Volunteer.Status.ACTIVE]
    requests = []
    for n, state in enumerate(plan, start=1):
        place = rng.choice(postcodes)
        closed = state in HelpRequest.CLOSED
        day = today + timedelta(days=-rng.randint(1, 90) if closed else rng.randint(0, 14))
        needs = [rng.choice([Skill.SHOPPING, Skill.SHOPPING, Skill.PRESCRIPTIONS,
                             Skill.PHONE_BEFRIENDING, Skill.VISITING, Skill.TRANSPORT,
                             Skill.DOG_WALKING, Skill.ODD_JOBS])]  # fmt: skip
        requests.append(
            HelpRequest(
                council=council,
                organisation=partners[n % 2] if n % 6 == 0 else None,
                source=rng.choice(list(HelpRequest.Source.values)),
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                phone=f"01632 96{n:04d}",
                address=f"{rng.randint(1, 120)} {rng.choice(STREETS)} Road",
                postcode=place.postcode,
                lat=place.lat,
                lon=place.lon,
                ward=wards.get(place.ward_code),
                needs=needs,
                urgency=rng.choice(list(Urgency.values)),
                needed_on=day,
                vetting_required=VettingLevel.ENHANCED
                if Skill.VISITING in needs
                else rng.choice([VettingLevel.NONE, VettingLevel.BASIC]),
                safeguarding_flags=["lives_alone"] if n % 7 == 0 else [],
                status=state,
                closed_at=timezone.now() - timedelta(days=(today - day).days) if closed else None,
            )
        )
    if resident is not None:
        requests[220].requester = resident  # assigned: the resident sees who is coming
        requests[220].email = resident.email
        requests[0].requester = resident
    HelpRequest.objects.bulk_create(requests)
    requests = list(HelpRequest.objects.filter(council=council).order_by("pk"))
    matches = []
    match_status = {
        HelpRequest.Status.MATCHED: Match.Status.CONFIRMED,
        HelpRequest.Status.ASSIGNED: Match.Status.ACCEPTED,
        HelpRequest.Status.DONE: Match.Status.COMPLETED,
    }
    for r in requests:
        if r.status not in match_status:
            continue
        v = volunteers[0] if r.pk == requests[180].pk else rng.choice(active)
        matches.append(
            Match(
                request=r,
                volunteer=v,
                distance_km=round(rng.uniform(0.2, 4.5), 2),
                status=match_status[HelpRequest.Status(r.status)],
                hours=Decimal(rng.choice(["0.5", "1", "1.5", "2", "3"]))
                if r.status == HelpRequest.Status.DONE
                else None,
            )
        )
    Match.objects.bulk_create(matches)
    made.append(f"{len(requests)} demo help requests")

    # Proposals from a real matcher run (what a coordinator sees after pressing the button).
    from changemaker.support.jobs import engine_inputs

    engine_requests, engine_volunteers = engine_inputs(council, None)
    result = Matcher().match(engine_requests, engine_volunteers)
    actions.store_proposals(
        council,
        job=None,
        scope=None,
        assignments=[
            (int(a.request_id), int(a.volunteer_id), a.distance_km) for a in result.assignments
        ],
    )
    made.append(f"{len(result.assignments)} demo match proposals")
    return made
