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
# Names as common in England and Wales today; volunteers' full names are never repeated.
FIRST = [
    "Aisha", "Alfie", "Amara", "Amelia", "Arjun", "Ava", "Ben", "Bethan", "Callum", "Charlotte",
    "Chloe", "Connor", "Daniel", "Dev", "Dylan", "Eleanor", "Ella", "Emily", "Ethan", "Fatima",
    "Finn", "Freya", "Gareth", "Grace", "Hamza", "Hannah", "Harry", "Imran", "Isla", "Jack",
    "Jade", "James", "Jasmine", "Joe", "Kiran", "Laura", "Leah", "Liam", "Lucy", "Maya", "Megan",
    "Mohammed", "Niamh", "Nia", "Oliver", "Olivia", "Owen", "Poppy", "Priya", "Rachel", "Rhys",
    "Rosa", "Ruth", "Ryan", "Sam", "Sarah", "Sophie", "Tariq", "Thomas", "Tom", "Uma", "Yusuf",
    "Zara", "Zoe",
]  # fmt: skip
LAST = [
    "Ahmed", "Ali", "Baker", "Bennett", "Brown", "Campbell", "Chapman", "Clarke", "Collins",
    "Cooper", "Davies", "Edwards", "Evans", "Fraser", "Green", "Griffiths", "Hall", "Harris",
    "Hill", "Hughes", "Hussain", "Iqbal", "Jackson", "James", "Jenkins", "Johnson", "Jones",
    "Kaur", "Kelly", "Khan", "King", "Lewis", "Mahmood", "Martin", "Mitchell", "Moore", "Morgan",
    "Murphy", "Nowak", "O'Brien", "Okafor", "Owen", "Parry", "Patel", "Phillips", "Price",
    "Reid", "Roberts", "Robinson", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Turner",
    "Walker", "Walsh", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright",
]  # fmt: skip
# The people who ask for help are mostly older.
ASKING = [
    "Ann", "Barbara", "Brian", "Carol", "Colin", "Derek", "Doreen", "Dorothy", "Edna", "Eileen",
    "Frank", "Geoffrey", "Gwen", "Harold", "Irene", "Iris", "Jean", "Joan", "John", "Joyce",
    "Kenneth", "Malcolm", "Margaret", "Maureen", "Mohan", "Nasreen", "Norman", "Pamela",
    "Patricia", "Peter", "Ray", "Rita", "Ronald", "Shirley", "Sheila", "Stanley", "Valerie",
    "Winston", "Yvonne", "Zubair",
]  # fmt: skip
STREETS = [
    "Mill Road", "Church Lane", "Station Road", "Park Avenue", "Victoria Street", "Queen's Road",
    "The Crescent", "Meadow Close", "Orchard Way", "High Street", "Chapel Street", "Brook Lane",
]  # fmt: skip
REFERRERS = [
    "Abbey Road Surgery, social prescriber",
    "Riverside Medical Centre, practice nurse",
    "Age UK Exampleton",
    "Exampleton Homes, tenancy officer",
    "St Anne's Church, pastoral team",
]
# What people write when they ask, by the help they need.
DETAILS = {
    Skill.SHOPPING: [
        "Weekly shop from the Co-op on Station Road. I pay by card when it arrives.",
        "Bread, milk and a few tins. I cannot carry heavy bags since my operation.",
        "A small shop for the week; I will read the list out on the phone.",
    ],
    Skill.PRESCRIPTIONS: [
        "Repeat prescription ready at the chemist on the High Street from Tuesday.",
        "Inhaler and tablets from the surgery pharmacy. Already paid for.",
    ],
    Skill.PHONE_BEFRIENDING: [
        "Lives alone since her husband died and would like a chat once a week.",
        "Would enjoy a weekly call about football and the news.",
    ],
    Skill.VISITING: [
        "Would like company for an hour. Enjoys crosswords and a cup of tea.",
        "Recently home from hospital and finding the days long.",
    ],
    Skill.TRANSPORT: [
        "Hospital appointment at 10:30, needs a lift there and back. Uses a walking frame.",
        "A lift to the GP surgery for a blood test, about an hour in all.",
    ],
    Skill.DOG_WALKING: [
        "Small, friendly terrier needs a 30-minute walk while I recover from a hip operation.",
    ],
    Skill.ODD_JOBS: [
        "Help putting up a grab rail the council has supplied.",
        "Change the hall light bulb and test the smoke alarm.",
    ],
}
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
    names = place.rng.sample([(f, last) for f in FIRST for last in LAST], len(statuses))
    volunteers = [
        _volunteer(place, n, status, names[n - 1]) for n, status in enumerate(statuses, start=1)
    ]
    vic = _user(*DEMO_VOLUNTEER, place.council, Role.RESIDENT)
    volunteers[0].status = Volunteer.Status.ACTIVE
    volunteers[0].user = vic
    volunteers[0].first_name, volunteers[0].last_name = "Vic", "Volunteer"
    volunteers[0].email = vic.email
    Volunteer.objects.bulk_create(volunteers)
    return list(Volunteer.objects.filter(council=place.council).order_by("badge_number"))


def _volunteer(place: _Place, n: int, status: Volunteer.Status, name: tuple[str, str]) -> Volunteer:
    rng, today = place.rng, place.today
    home = rng.choice(place.postcodes)
    first, last = name
    address = "".join(ch for ch in f"{first}.{last}".lower() if ch.isalpha() or ch == ".")
    born = today - timedelta(days=rng.randint(17 * 365 + 30, 75 * 365))
    minor = (today - born).days < 18 * 365
    return Volunteer(
        council=place.council,
        organisation=place.partners[n % 2] if n % 5 == 0 else None,
        badge_number=f"EXA-D{n:04d}",
        first_name=first,
        last_name=last,
        email=f"{address}@volunteers.example",
        phone=f"07700 900{n % 1000:03d}",  # Ofcom's drama numbers: nobody real
        postcode=home.postcode,
        lat=home.lat,
        lon=home.lon,
        ward=place.wards.get(home.ward_code),
        skills=sorted(rng.sample(list(Skill.values), rng.randint(1, 3))),
        available_days=sorted(rng.sample(range(7), rng.randint(2, 5))),
        max_distance_km=rng.choice([1.0, 3.0, 3.0, 5.0, 10.0]),
        capacity=rng.choice([1, 2, 2, 3]),
        date_of_birth=born,
        guardian_name=f"{rng.choice(ASKING)} {last}" if minor else "",
        guardian_email=f"guardian.{address}@volunteers.example" if minor else "",
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
    need = rng.choice([Skill.SHOPPING, Skill.SHOPPING, Skill.PRESCRIPTIONS,
                       Skill.PHONE_BEFRIENDING, Skill.VISITING, Skill.TRANSPORT,
                       Skill.DOG_WALKING, Skill.ODD_JOBS])  # fmt: skip
    needs = [need]
    source = rng.choice(list(HelpRequest.Source.values))
    return HelpRequest(
        council=place.council,
        organisation=place.partners[n % 2] if n % 6 == 0 else None,
        source=source,
        referrer_name=rng.choice(REFERRERS) if source == HelpRequest.Source.REFERRER else "",
        name=f"{rng.choice(ASKING)} {rng.choice(LAST)}",
        phone=f"01632 960{n % 1000:03d}",  # Ofcom's drama numbers: nobody real
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        details=rng.choice(DETAILS[need]),
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
        cancelled_by=(
            HelpRequest.CancelledBy.REQUESTER
            if source == HelpRequest.Source.RESIDENT
            else HelpRequest.CancelledBy.COORDINATOR
        )
        if state == HelpRequest.Status.CANCELLED
        else "",
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
