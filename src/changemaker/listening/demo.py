"""Exampleton's listening: its open self-evaluation (demo_scorecards.py); published "we asked,
you said, we did" pages (the Youth Fund 2025 budget, the Safer Streets consultation, the
early-help pilot and the 2026 staff survey), with what the council did written as an officer
would; the council's commitments: a parent with weighted children (milestones, a document,
updates over months, one delayed), and updates on the commitments its funded budget ideas
became; the demo resident follows a consultation whose results are out and their ward
(weekly), and the notices the other demos published are handed on and sent (under dev
settings the emails are files in var/mail/); and its story collection (``load_stories``).
Idempotent."""

from __future__ import annotations

from base64 import b32decode
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core import commitments
from changemaker.core.models import Commitment, Council, Notice, User, Ward
from changemaker.core.notices import describe_subject, subject_key
from changemaker.core.registry import ReportSource
from changemaker.core.validators import CleanDocument
from changemaker.listening import actions, adapter, demo_scorecards, demo_stories, selectors
from changemaker.listening.engine import How
from changemaker.listening.models import Follow, Story, StoryCollection, Theme

RESIDENT = "resident@exampleton.example"


def load(council: Council) -> list[str]:
    committed = _commitments(council)
    if committed:  # their changes were announced before anyone followed them: no one to tell
        adapter.dispatch_waiting()
    made = demo_scorecards.load(council)
    made += _reports(council)
    made += committed
    made += load_stories(council)
    resident = User.objects.filter(email=RESIDENT).first()
    if resident is None:
        return made
    if not Follow.objects.filter(user=resident, council=council).exists():
        made += _follows(council, resident)
    handed = adapter.dispatch_waiting()
    sent = adapter.send_due()
    if handed["notices"] or sent["sent"]:
        made.append(
            f"notifications: {handed['notices']} notices handed on, {sent['sent']} emails sent"
        )
    return made


def _follows(council: Council, resident: User) -> list[str]:
    made = []
    subjects = {
        key
        for subjects in Notice.objects.filter(council=council).values_list("subjects", flat=True)
        for key in subjects
        if describe_subject(council, key) is not None
    }
    for key in sorted(subjects)[:3]:
        actions.follow(resident, council, key, how=How.AT_ONCE)
        made.append("follow: the demo resident follows a subject")
    ward = Ward.objects.filter(council=council).order_by("name").first()
    if ward is not None:
        actions.follow(resident, council, subject_key(ward), how=How.WEEKLY)
        made.append("follow: the demo resident follows a ward (weekly)")
    return made


OFFICER = "admin@exampleton.example"

# What the council did, as its officers wrote it: (the source's title, we did, decisions).
# "{d1}".."{d3}" are days after the process closed, so the story holds whenever the demo runs.
WE_DID = [
    (
        "Youth Fund 2025",
        "The cabinet agreed all five ideas your votes funded on {d1}, and set aside £28,000 "
        "from the Youth Fund.\n"
        "The youth music studio evenings start at the Riverside youth centre on {d2}, on "
        "Tuesday and Thursday evenings, run by the youth service with two sessional workers.\n"
        "Exampleton Community Cycles runs the free bike repair days in the market square on "
        "the first Saturday of each month from {d3}.\n"
        "The play area repairs in Castle Park were not funded by the vote. The parks team has "
        "put them in the council's capital programme bid for 2027 to 2028 instead.\n"
        "The £2,000 left over goes into next year's Youth Fund.",
        "Cabinet, {d1}: approved the five funded ideas and spending of £28,000 from the Youth "
        "Fund budget (decision CAB/2026/41). The minutes are on the council's Cabinet meetings "
        "page.",
    ),
    (
        "How can we make Exampleton's streets safer for walking and cycling?",
        "The Highways and Transport Committee met on {d1} and agreed to:\n"
        "- bring in a 20 mph limit on the residential streets of Abbey and Riverside from "
        "{d2}, as an 18-month trial with speed counts before and after\n"
        "- put school crossing patrols outside St Anne's and Northfield primary schools from "
        "the start of the spring term, and design a signal-controlled crossing on Castle Hill "
        "Road\n"
        "- add £150,000 to the pavement repair programme, starting with the routes into town "
        "from Westgate and Northfield\n"
        "We did not add cycle lanes on Station Road. People were split on them, so the "
        "committee asked officers to look at a route on quieter streets that keeps parking "
        "and to bring options back by {d3}.",
        "Highways and Transport Committee, {d1}: item 7, Safer Streets conversation, report of "
        "the Director of Place. All recommendations agreed.",
    ),
    (
        "Early-help workers in GP surgeries",
        "The pilot showed fewer families reaching the crisis team in the pilot wards. Cabinet "
        "agreed on {d1} to keep the early-help workers in the three pilot wards and to extend "
        "them to the other three wards from {d2}, paid for from the Public Health grant.\n"
        "We will keep measuring crisis referrals each month in every ward and publish the "
        "results in the practice library, so other councils can compare.",
        "Cabinet, {d1}: early help in GP surgeries, extension to all wards agreed (decision "
        "CAB/2026/44).",
    ),
    (
        "Exampleton staff survey: 2026",
        "The corporate leadership team discussed the results with staff representatives on "
        "{d1}. Every team with a published score has chosen one action on its lowest norm, "
        "linked to a practice that works, and reports on it at its team meeting each "
        "quarter.\n"
        "From {d2} every directorate plan starts with the outcomes it is working towards, and "
        "staff can suggest changes to how their team works through a monthly open session "
        "with their director.\n"
        "We will run the survey again in autumn 2027 and publish the whole council's scores "
        "here.",
        "Corporate leadership team, {d1}: staff survey 2026 action plan agreed.",
    ),
]
#: What the council promised after Safer Streets: (title, team, status, progress, due days)
SAFER_STREETS_COMMITMENTS = [
    (
        "20 mph trial on residential streets in Abbey and Riverside",
        "Highways",
        "in_progress",
        40,
        120,
    ),
    (
        "School crossing patrols at St Anne's and Northfield primary schools",
        "Road safety",
        "done",
        100,
        60,
    ),
    (
        "Pavement repairs on the routes into town from Westgate and Northfield",
        "Highways",
        "planned",
        0,
        240,
    ),
]


def _days(closed: date | None) -> dict[str, str]:
    start = closed or date.today()
    return {
        f"d{n}": date_format(start + timedelta(days=days), "j F Y")
        for n, days in ((1, 16), (2, 45), (3, 90))
    }


def _reports(council: Council) -> list[str]:
    """Draft, complete and publish the demo's pages (each once)."""
    officer = User.objects.filter(email=OFFICER).first()
    if officer is None:
        return []
    sources = {r.source.title: r for r in selectors.report_sources_of(council) if r.report is None}
    made = []
    for title, did, decisions in WE_DID:
        row = sources.get(title)
        if row is None:
            continue
        days = _days(row.source.closed_on)
        report = actions.draft_report(council, row.source, by=officer)
        actions.save_report(
            report,
            by=officer,
            parts={"we_did": did.format(**days), "decisions": decisions.format(**days)},
        )
        actions.publish_report(report, by=officer)
        _report_commitments(council, row.source)
        made.append(f"we asked, you said, we did: {title}")
    return made


def _report_commitments(council: Council, source: ReportSource) -> None:
    if (
        not source.key.startswith("consultations.")
        or Commitment.objects.filter(council=council, source=source.key).exists()
    ):
        return
    today = date.today()
    for title, owner, status, progress, due in SAFER_STREETS_COMMITMENTS:
        Commitment.objects.create(
            council=council,
            title=title,
            source=source.key,
            owner=owner,
            status=status,
            progress=progress,
            due=today + timedelta(days=due),
        )


PARENT = "Make the town centre safer to walk"
#: title, owner, weight, due (days from today), updates: (days ago, status, progress, text)
CHILDREN = [
    (
        "Brighter LED street lighting on Station Road and Market Street",
        "Highways and street lighting",
        3,
        120,
        [
            (150, "in_progress", 20, "All 140 lamp columns surveyed; 38 need replacing first."),
            (75, "in_progress", 45, "New LED lanterns fitted from the station to the library."),
            (20, "in_progress", 60, "Market Street done; Station Road lamps ordered."),
        ],
    ),
    (
        "A zebra crossing by the bus station on Victoria Street",
        "Highways",
        2,
        200,
        [
            (120, "in_progress", 30, "Design agreed with bus operators after the public notice."),
            (
                30,
                "delayed",
                30,
                "Delayed: the gas network must move a main under the kerb first. Work is now "
                "planned for the autumn.",
            ),
        ],
    ),
    (
        "Dropped kerbs at 12 junctions for wheelchairs and pushchairs",
        "Highways",
        1,
        -30,
        [
            (140, "in_progress", 50, "Six junctions done, chosen with the Access Forum."),
            (45, "done", 100, "All 12 junctions done."),
        ],
    ),
]
#: a small real PDF: the lighting survey summary (milestone document)
SURVEY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 70>>stream\nBT /F1 14 Tf 56 780 Td (Exampleton street lighting survey) Tj ET"
    b"\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _commitments(council: Council) -> list[str]:
    if Commitment.objects.filter(council=council, title=PARENT).exists():
        return []
    today = timezone.localdate()
    parent = commitments.save_commitment(
        Commitment(
            council=council,
            title=PARENT,
            title_cy="Gwneud canol y dref yn fwy diogel i gerdded",
            description="From the 2026 town centre consultation: residents said the walk "
            "from the station to the market feels unsafe after dark.",
            owner="Community safety partnership",
            due=today + timedelta(days=240),
        ),
        by=None,
    )
    for title, owner, weight, due, updates in CHILDREN:
        child = commitments.save_commitment(
            Commitment(
                council=council,
                parent=parent,
                title=title,
                owner=owner,
                weight=weight,
                due=today + timedelta(days=due),
            ),
            by=None,
        )
        for days, status, progress, text in updates:
            at = timezone.now() - timedelta(days=days)
            commitments.add_update(
                child, by=None, text=text, status=status, progress=progress, at=at
            )
    _lighting_milestones(parent.children.order_by("pk").first(), today)
    commitments.save_commitment(
        Commitment(
            council=council,
            title="Reopen the Riverside Park public toilets",
            owner="Parks and open spaces",
            due=today + timedelta(days=150),
        ),
        by=None,
    )
    return ["commitments: 5 of the council's own, one with weighted parts", *_funded(council)]


def _lighting_milestones(lighting: Commitment | None, today: date) -> None:
    if lighting is None:
        return
    survey = commitments.add_milestone(
        lighting,
        by=None,
        title="Survey of the 140 lamp columns",
        due=today - timedelta(days=160),
        done_on=today - timedelta(days=150),
    )
    commitments.attach_document(
        survey, by=None, document=CleanDocument(SURVEY_PDF, "pdf"), name="Lighting survey summary"
    )
    commitments.add_milestone(
        lighting, by=None, title="Station Road lamps replaced", due=today + timedelta(days=60)
    )


def _funded(council: Council) -> list[str]:
    """Updates on the commitments the demo's funded budget ideas became."""
    funded = Commitment.objects.filter(council=council, source__startswith="budgeting.")
    made = []
    for n, commitment in enumerate(funded.order_by("pk")[:3]):
        commitments.add_update(
            commitment,
            by=None,
            text="The council's delivery team has met the residents who proposed it and "
            "agreed a plan.",
            status="in_progress",
            progress=10 + 20 * n,
            at=timezone.now() - timedelta(days=40 - 10 * n),
        )
        made.append("commitments: an update on a funded idea")
    return made


# Stories ------------------------------------------------------------------------------------

STORY_OFFICER = "engagement@exampleton.example"
COLLECTION = "where-you-live"


def load_stories(council: Council) -> list[str]:
    """Exampleton's story collection: forty stories on four topics (some on paper or by
    phone), read and themed, their suggested groupings, and the parks theme made a budget idea
    when a budget takes ideas. Skipped without the demo engagement officer; idempotent."""
    officer = User.objects.filter(email=STORY_OFFICER).first()
    if officer is None or StoryCollection.objects.filter(council=council, slug=COLLECTION).exists():
        return []
    _second_factor(officer)
    collection = actions.create_collection(
        council,
        by=officer,
        slug=COLLECTION,
        title="Where you live",
        title_cy="Lle rydych chi'n byw",
        question=(
            "Tell us about something that works well where you live, and what would make it better"
        ),
        question_cy=(
            "Dywedwch wrthym am rywbeth sy'n gweithio'n dda lle rydych chi'n byw, a beth fyddai'n "
            "ei wella"
        ),
    )
    wards = list(Ward.objects.filter(council=council).order_by("name"))
    themes = {}
    for n, (topic, stories) in enumerate(demo_stories.STORIES.items()):
        name, description = demo_stories.TOPICS[topic]
        themes[topic] = actions.create_theme(
            collection, by=officer, name=name, description=description
        )
        for i, (works, helps, channel, consent) in enumerate(stories):
            ward = wards[(n + i) % len(wards)] if wards and i % 3 else None
            story = _tell(collection, officer, works, helps, channel, consent, ward)
            if i < 8:  # the last two of each topic are waiting to be read
                actions.check_story(
                    story, by=officer, status=Story.Status.READ, themes=[themes[topic]]
                )
    made = [f"stories: '{collection.title}' with {collection.stories.count()} stories"]
    groups = adapter.suggest_groupings(collection)
    made.append(f"stories: {groups['groups']} suggested themes")
    made += _parks_become_an_idea(council, officer, themes["parks"])
    return made


def _tell(
    collection: StoryCollection,
    officer: User,
    works: str,
    helps: str,
    channel: str,
    consent: bool,
    ward: Ward | None,
) -> Story:
    if channel == demo_stories.ONLINE:
        return actions.tell_story(
            collection, what_works=works, what_would_help=helps, ward=ward, consent=consent
        )
    return actions.enter_story(
        collection,
        by=officer,
        channel=channel,
        what_works=works,
        what_would_help=helps,
        ward=ward,
        consent=consent,
    )


def _second_factor(officer: User) -> None:
    """Reading stories asks for a second factor: the demo officer gets the demo authenticator
    (the published demo key, as core's demo gives the roles that always need one)."""
    from changemaker.core.management.commands.load_demo import DEMO_TOTP_KEY

    TOTPDevice.objects.get_or_create(
        user=officer,
        name="Demo authenticator",
        defaults={"key": b32decode(DEMO_TOTP_KEY).hex(), "confirmed": True},
    )


def _parks_become_an_idea(council: Council, officer: User, theme: Theme) -> list[str]:
    for key, _label, _where in selectors.proposal_choices(council):
        sink, _bar, target = key.partition("|")
        if sink == "budgeting.idea":
            actions.propose_theme(
                theme,
                by=officer,
                sink=sink,
                target=target,
                title="Shade, benches and open toilets in our parks",
                text=(
                    "Residents' stories say the splash pad, play areas and park run bring "
                    "families out, but there is nowhere to sit in the shade and the toilets are "
                    "shut when the parks are busiest. Shade sails, benches and longer toilet "
                    "opening in the borough's main parks."
                ),
            )
            return ["stories: the parks theme became a budget idea"]
    return []
