"""Exampleton's community support: about 300 volunteers and 500 help requests in every state,
two partner organisations with their own coordinator, and proposals from a real matcher run.

Idempotent: nothing is added when Exampleton already has volunteers. Names are made up;
postcodes come from the generated demo table (fixtures/postcodes.csv).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from changemaker.core.management.commands.load_demo import DEMO_PASSWORD
from changemaker.core.models import Council, Role, RoleAssignment, User, Ward
from changemaker.support import actions, adapter
from changemaker.support.models import (
    Course,
    HelpRequest,
    Match,
    PartnerMembership,
    PartnerOrganisation,
    Postcode,
    Skill,
    SupportSettings,
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


@dataclass(frozen=True)
class _Place:
    """What every demo record draws from: one seeded random source, in a fixed order."""

    council: Council
    rng: random.Random
    today: date
    postcodes: list[Postcode]
    wards: dict[str, Ward]
    partners: list[PartnerOrganisation]


@transaction.atomic
def load(council: Council) -> list[str]:
    if council.slug != "exampleton" or Volunteer.objects.filter(council=council).exists():
        return []
    made = []
    if not Postcode.objects.filter(postcode="EX1 1AB").exists():
        made.append(f"{load_postcodes()} demo postcodes")
    place = _Place(
        council,
        random.Random(5),
        timezone.localdate(),
        list(Postcode.objects.filter(postcode__startswith="EX").order_by("postcode")),
        {w.code: w for w in Ward.objects.filter(council=council)},
        [PartnerOrganisation.objects.get_or_create(council=council, name=n)[0] for n in PARTNERS],
    )
    _people(place)
    volunteers = _volunteers(place)
    _checks(place, volunteers)
    made.append(f"{len(volunteers)} demo volunteers")
    requests = _requests(place)
    _matches(place, requests, volunteers)
    made.append(f"{len(requests)} demo help requests")
    # Proposals from a real matcher run (what a coordinator sees after pressing the button).
    proposed = adapter.propose_matches(council, None)
    made.append(f"{proposed['matched']} demo match proposals")
    return made


def _people(place: _Place) -> None:
    """The partner's coordinator, and the council's coordinator as the safeguarding lead."""
    coordinator = _user(*PARTNER_COORDINATOR, place.council, Role.SUPPORT_COORDINATOR)
    PartnerMembership.objects.get_or_create(organisation=place.partners[0], user=coordinator)
    lead = User.objects.filter(email="support@exampleton.example").first()
    settings, _created = SupportSettings.objects.get_or_create(council=place.council)
    if lead is not None and settings.safeguarding_lead_id is None:
        settings.safeguarding_lead = lead
        settings.save(update_fields=["safeguarding_lead"])


def _volunteers(place: _Place) -> list[Volunteer]:
    """About 300 volunteers in every state; Vic Volunteer (a demo account) is the first."""
    statuses = (
        [Volunteer.Status.APPLIED] * 20
        + [Volunteer.Status.CHECKS] * 20
        + [Volunteer.Status.ACTIVE] * 235
        + [Volunteer.Status.PAUSED] * 13
        + [Volunteer.Status.LEFT] * 12
    )
    volunteers = [_volunteer(place, n, status) for n, status in enumerate(statuses, start=1)]
    vic = _user(*DEMO_VOLUNTEER, place.council, Role.RESIDENT)
    volunteers[0].status = Volunteer.Status.ACTIVE
    volunteers[0].user = vic
    volunteers[0].first_name, volunteers[0].last_name = "Vic", "Volunteer"
    volunteers[0].email = vic.email
    Volunteer.objects.bulk_create(volunteers)
    return list(Volunteer.objects.filter(council=place.council).order_by("badge_number"))


def _volunteer(place: _Place, n: int, status: Volunteer.Status) -> Volunteer:
    rng, today = place.rng, place.today
    home = rng.choice(place.postcodes)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    born = today - timedelta(days=rng.randint(17 * 365 + 30, 75 * 365))
    minor = (today - born).days < 18 * 365
    return Volunteer(
        council=place.council,
        organisation=place.partners[n % 2] if n % 5 == 0 else None,
        badge_number=f"EXA-D{n:04d}",
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower()}.{n}@volunteers.example",
        phone=f"07700 900{n:03d}"[:13],
        postcode=home.postcode,
        lat=home.lat,
        lon=home.lon,
        ward=place.wards.get(home.ward_code),
        skills=sorted(rng.sample(list(Skill.values), rng.randint(1, 3))),
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


def _checks(place: _Place, volunteers: list[Volunteer]) -> None:
    """DBS checks and training for everyone past applying."""
    rng, today = place.rng, place.today
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


def _requests(place: _Place) -> list[HelpRequest]:
    """About 500 requests in every state; the demo resident follows two of them."""
    plan = (
        [HelpRequest.Status.NEW] * 60
        + [HelpRequest.Status.TRIAGED] * 120
        + [HelpRequest.Status.MATCHED] * 40
        + [HelpRequest.Status.ASSIGNED] * 60
        + [HelpRequest.Status.DONE] * 180
        + [HelpRequest.Status.CANCELLED] * 40
    )
    requests = [_request(place, n, state) for n, state in enumerate(plan, start=1)]
    resident = User.objects.filter(email=DEMO_RESIDENT).first()
    if resident is not None:
        requests[220].requester = resident  # assigned: the resident sees who is coming
        requests[220].email = resident.email
        requests[0].requester = resident
    HelpRequest.objects.bulk_create(requests)
    return list(HelpRequest.objects.filter(council=place.council).order_by("pk"))


def _request(place: _Place, n: int, state: HelpRequest.Status) -> HelpRequest:
    rng, today = place.rng, place.today
    home = rng.choice(place.postcodes)
    closed = state in HelpRequest.CLOSED
    day = today + timedelta(days=-rng.randint(1, 90) if closed else rng.randint(0, 14))
    needs = [rng.choice([Skill.SHOPPING, Skill.SHOPPING, Skill.PRESCRIPTIONS,
                         Skill.PHONE_BEFRIENDING, Skill.VISITING, Skill.TRANSPORT,
                         Skill.DOG_WALKING, Skill.ODD_JOBS])]  # fmt: skip
    return HelpRequest(
        council=place.council,
        organisation=place.partners[n % 2] if n % 6 == 0 else None,
        source=rng.choice(list(HelpRequest.Source.values)),
        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        phone=f"01632 96{n:04d}",
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)} Road",
        postcode=home.postcode,
        lat=home.lat,
        lon=home.lon,
        ward=place.wards.get(home.ward_code),
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


def _matches(place: _Place, requests: list[HelpRequest], volunteers: list[Volunteer]) -> None:
    """Matches for the requests past matching; Vic Volunteer has one to answer."""
    rng = place.rng
    active = [v for v in volunteers if v.status == Volunteer.Status.ACTIVE]
    match_status = {
        HelpRequest.Status.MATCHED: Match.Status.CONFIRMED,
        HelpRequest.Status.ASSIGNED: Match.Status.ACCEPTED,
        HelpRequest.Status.DONE: Match.Status.COMPLETED,
    }
    matches = []
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
