"""Exampleton's listening: its open self-evaluation (demo_scorecards.py); published "we asked,
you said, we did" pages (the Youth Fund 2025 budget, the Safer Streets consultation, the
early-help pilot and the 2026 staff survey), with what the council did written as an officer
would; the demo resident follows a consultation whose results are out and their ward (weekly),
and the notices the other demos published are handed on and sent (under dev settings the
emails are files in var/mail/). Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.formats import date_format

from changemaker.core.models import Commitment, Council, Notice, User, Ward
from changemaker.core.notices import describe_subject, subject_key
from changemaker.core.registry import ReportSource
from changemaker.listening import actions, adapter, demo_scorecards, selectors
from changemaker.listening.engine import How
from changemaker.listening.models import Follow

RESIDENT = "resident@exampleton.example"


def load(council: Council) -> list[str]:
    made = demo_scorecards.load(council)
    made += _reports(council)
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
        "agreed on {d1} to keep the early-help workers in the ten pilot wards and to extend "
        "them to the other ten wards from {d2}, paid for from the Public Health grant.\n"
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
        _commitments(council, row.source)
        made.append(f"we asked, you said, we did: {title}")
    return made


def _commitments(council: Council, source: ReportSource) -> None:
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
