"""Reads in participatory budgeting, scoped to what the person may see: ideas, who votes where
(voting codes, eligibility, wards), counts and results. No writes: those are in actions."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from django.db.models import Count as DbCount
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.budgeting.adapter import OTHER
from changemaker.budgeting.engine.ballots import BallotRules
from changemaker.budgeting.engine.register import match_key, normalise_postcode
from changemaker.budgeting.errors import ActionRefused
from changemaker.budgeting.models import (
    Ballot,
    Count,
    Eligibility,
    Heading,
    Process,
    Project,
    UnusablePaper,
    VotingCode,
)
from changemaker.budgeting.notices import VOTING_OPENS, voting_key
from changemaker.budgeting.rules import sees_unpublished_idea
from changemaker.budgeting.wording import describe_count_rule
from changemaker.core import bilingual, commitment_selectors, wardmap
from changemaker.core.models import Council, Notice, User, Ward
from changemaker.core.models.commitments import Commitment, CommitmentUpdate
from changemaker.core.notices import subject_key
from changemaker.core.registry import quotes_still_shown

RESERVED_SLUGS = {"new", "import", "register"}  # pages of the site under /budgets/


# Budgets ---------------------------------------------------------------------------------


def check_slug(council: Council, slug: str) -> None:
    """Refuse a short name the site uses, or one another budget of the council has."""
    if slug in RESERVED_SLUGS:
        raise ActionRefused(_("Choose another short name: this one is used by the site"))
    if Process.objects.filter(council=council, slug=slug).exists():
        raise ActionRefused(_("A budget with this short name already exists"))


def past_election_dates(now: datetime) -> dict[str, datetime]:
    """The phases of an election imported from a file: voting closed yesterday."""
    day = timedelta(days=1)
    return {
        "ideas_from": now - 60 * day,
        "review_from": now - 40 * day,
        "voting_from": now - 30 * day,
        "voting_until": now - day,
        "delivery_from": now + 30 * day,
    }


# Ideas -----------------------------------------------------------------------------------


def can_see_idea(user: Any, project: Project) -> bool:
    """Anyone sees a public idea; one not (yet) published only its author and officers."""
    return project.is_public or bool(sees_unpublished_idea(user, project))


def visible_ideas(user: Any, process: Process) -> QuerySet[Project]:
    """The ideas page: what this person may see (officers: all), with their support."""
    shown = process.projects.all()
    if not user.has_perm("budgeting.manage", process.council):
        mine = Q(author=user) if user.is_authenticated else Q(pk__in=[])
        shown = shown.filter(process.public_ideas() | mine)
    return (
        shown.exclude(status=Project.Status.MERGED)
        .annotate(support_count=DbCount("supports"))
        .select_related("heading", "process")
    )


def idea_image_access(council: Council, user: Any, name: str) -> str | None:
    """Who may see an idea picture (pb-ideas/...): "public", "private" or nobody (None)."""
    project = Project.objects.select_related("process__council").filter(image=name).first()
    if project is None or project.process.council_id != council.pk:
        return None
    if project.is_public:
        return "public"
    return "private" if sees_unpublished_idea(user, project) else None


def headings_open_for_ideas(council: Council) -> QuerySet[Heading]:
    """The budgets (headings) of this council's processes taking ideas now."""
    now = timezone.now()
    return (
        Heading.objects.filter(
            process__council=council, process__ideas_from__lte=now, process__review_from__gt=now
        )
        .select_related("process")
        .order_by("process__title", "name", "pk")
    )


# Voters, codes and wards -----------------------------------------------------------------


def hash_code(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def session_token_hash(token: str) -> str:
    return hashlib.sha256(f"changemaker.budgeting.code-session.{token}".encode()).hexdigest()


def find_code(process: Process, code: str) -> VotingCode:
    """The voting code, if it is right for this budget."""
    found = VotingCode.objects.filter(process=process, code_hash=hash_code(code)).first()
    if found is None:
        raise ActionRefused(_("That voting code is not right. Check it against your letter."))
    return found


def rules_for(process: Process, heading: Heading) -> BallotRules:
    return BallotRules(
        ballot_type=process.ballot_type,  # type: ignore[arg-type]
        budget=heading.budget,
        max_projects=process.max_projects,
        points_total=process.points_total,
        currency=process.currency_symbol,
    )


def headings_for(process: Process, ward: Ward | None) -> QuerySet[Heading]:
    """The budgets a voter may vote in: council-wide ones and their own ward's (a voter with
    no ward, such as a council-wide voting code, votes in the council-wide ones only)."""
    return process.headings.filter(Q(ward__isnull=True) | Q(ward=ward))


def ballot_ward(
    process: Process, voter: User | None, code: VotingCode | None, code_token: str
) -> Ward | None:
    """The ward of a signed-in voter (fixed at their check) or of a voting code (held by this
    browser); refuses anyone who has not been checked."""
    if voter is not None:
        eligibility = Eligibility.objects.filter(process=process, user=voter).first()
        if eligibility is None:
            raise ActionRefused(_("Check you can vote before you vote. Your ballot was not saved."))
        return eligibility.ward
    assert code is not None
    if code.process_id != process.pk or not code.session_hash:
        raise ActionRefused(_("Enter your voting code before you vote."))
    if code.session_hash != session_token_hash(code_token):
        raise ActionRefused(
            _("That voting code is being used in another browser. Your ballot was not saved.")
        )
    return code.ward


def ward_finder(council: Council) -> Any:
    """A function from a postcode to the council ward whose postcode districts include it."""
    by_district = {d: w for w in council.wards.all() for d in w.postcode_districts}

    def find(postcode: str) -> Ward | None:
        compact = normalise_postcode(postcode)
        return by_district.get(compact[:-3]) if len(compact) >= 5 else None

    return find


def ward_for_postcode(process: Process, postcode: str) -> Ward | None:
    """The council ward whose postcode districts include this postcode, if any."""
    found: Ward | None = ward_finder(process.council)(postcode)
    return found


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def register_key(council: Council, surname: str, born: date, postcode: str) -> str:
    """The keyed hash (HMAC with SECRET_KEY, salted per council) a register entry is kept as."""
    return salted_hmac(
        f"changemaker.budgeting.register.{council.pk}",
        match_key(surname, born, postcode),
        algorithm="sha256",
    ).hexdigest()


# Counts and results ----------------------------------------------------------------------


def latest_counts(process: Process) -> dict[int, Count]:
    """Each heading's latest count (an earlier count of the same heading is superseded)."""
    latest: dict[int, Count] = {}
    for row in process.counts.order_by("computed_at", "pk"):
        latest[row.heading_id] = row
    return latest


def funded_codes(process: Process) -> set[str]:
    """The projects funded by the latest count of each heading."""
    return {code for row in latest_counts(process).values() for code in row.selected}


# The sentences of engine.explain.REASONS, translatable (a test checks they say the same).
_REASONS = {
    "greedy_funded": gettext_lazy(
        "Funded: %(votes)s votes; it came %(position)s in order of value for money and "
        "still fitted in the budget."
    ),
    "greedy_not_funded": gettext_lazy(
        "Not funded: when its turn came only %(left)s was left, and it costs %(cost)s."
    ),
    "mes_funded": gettext_lazy(
        "Funded in round %(round)s of the Method of Equal Shares: its %(votes)s supporters "
        "shared its cost of %(cost)s."
    ),
    "completion_funded": gettext_lazy(
        "Funded by the completion step: money was left after equal shares, and it was next "
        "by number of votes."
    ),
    "free": gettext_lazy("Funded: it costs nothing."),
    "mes_not_funded": gettext_lazy(
        "Not funded: its %(votes)s supporters could still pay %(money)s between them, but "
        "it costs %(cost)s."
    ),
    "mes_not_funded_taken": gettext_lazy(
        "Not funded: its %(votes)s supporters could still pay %(money)s between them, but "
        "it costs %(cost)s. Most of their money (%(taken)s) went to project %(took)s, "
        "which they also supported."
    ),
    "phragmen_funded": gettext_lazy(
        "Funded by sequential Phragmén: its supporters' shared load was the lowest."
    ),
    "phragmen_not_funded": gettext_lazy(
        "Not funded: the count stopped before its supporters' load was the lowest, or it "
        "did not fit in the budget."
    ),
}


MONEY_FACTS = {"left", "cost", "money", "taken"}  # amounts in explanations ("40,000")


def reason_text(stored: dict[str, str] | str | None, symbol: str = "") -> str:
    """A stored explanation (its kind and facts) in the reader's language. The sentences say
    what the engine's English ones (``engine.explain.REASONS``) say; a test checks both agree.
    With ``symbol`` amounts read as money ("£40,000") and counts of votes are grouped.
    Counts stored before explanations had kinds hold the English sentence itself."""
    if not stored:
        return ""
    if isinstance(stored, str):
        return stored
    facts = {k: v for k, v in stored.items() if k != "kind"}
    if symbol:
        facts = {
            k: f"{symbol}{v}"
            if k in MONEY_FACTS
            else f"{int(v):,}"
            if k == "votes" and str(v).isdigit()
            else v
            for k, v in facts.items()
        }
    template = _REASONS.get(stored.get("kind", ""))
    return str(template) % facts if template else ""


def fairness_rows(count_row: Count) -> dict[str, Any]:
    """The stored fairness of a count, as whole percentages for the results page."""
    data = count_row.fairness or {}
    voters = data.get("total_voters") or 0
    money = Fraction(data.get("total_received") or 0)
    rows = [
        {
            "ward": g["ward"],
            "voters": g["voters"],
            "voters_pc": round(100 * g["voters"] / voters) if voters else 0,
            "money_pc": round(100 * Fraction(g["received"]) / money) if money else 0,
        }
        for g in data.get("groups", [])
    ]
    rows.sort(key=lambda r: (r["ward"] in {"", OTHER}, r["ward"] == OTHER, r["ward"]))
    return {"groups": rows, "ejr": data.get("ejr"), "other": OTHER}


def results_blocks(process: Process) -> list[dict[str, Any]]:
    """The results page: for each budget its latest count, votes per project, turnout per
    ward and fairness (``count`` None: not counted yet)."""
    blocks: list[dict[str, Any]] = []
    for head in process.headings.all():
        latest = head.counts.order_by("-computed_at").first()
        blocks.append(
            {"heading": head, "count": None} if latest is None else _result_block(head, latest)
        )
    return blocks


def _result_block(head: Heading, latest: Count) -> dict[str, Any]:
    projects = {p.code: p for p in head.projects.filter(status=Project.Status.SHORTLISTED)}
    votes = Counter(
        m
        for m in Ballot.objects.filter(heading=head).values_list("marks__project__code", flat=True)
        if m
    )
    top = max(votes.values(), default=1) or 1
    rows = [
        {
            "project": p,
            "votes": votes.get(code, 0),
            "funded": code in latest.selected,
            "reason": reason_text(latest.explanation.get(code), head.process.currency_symbol),
            "width": 300 * votes.get(code, 0) // top,  # of the chart's 400
        }
        for code, p in sorted(projects.items(), key=lambda kv: -votes.get(kv[0], 0))
    ]
    turnout = (
        Ballot.objects.filter(heading=head)
        .values("ward__name")
        .annotate(n=DbCount("id"))
        .order_by("ward__name")
    )
    return {
        "heading": head,
        "count": latest,
        "rows": rows,
        "turnout": turnout,
        "fairness": fairness_rows(latest),
        "rule_words": describe_count_rule(latest.rule, head.process.currency_symbol),
        "unusable": unusable_papers(head),
        "chart_height": 52 * len(rows) + 4,
    }


def evidence_used(process: Process) -> list[dict[str, Any]]:
    """How the voters were checked, for the results page: people who voted online by each kind
    of evidence, then codes, paper slips and imported ballots."""
    voted = process.ballots
    online = Counter(
        Eligibility.objects.filter(
            process=process, user__in=voted.filter(voter__isnull=False).values("voter")
        ).values_list("evidence", flat=True)
    )
    rows = [{"label": Eligibility.Via(e).label, "voters": n} for e, n in sorted(online.items())]
    codes = voted.filter(code__isnull=False).values("code").distinct().count()
    if codes:
        rows.append({"label": Ballot.Channel.CODE.label, "voters": codes})
    for channel in (Ballot.Channel.PAPER, Ballot.Channel.IMPORTED):
        slips = voted.filter(channel=channel).count()
        if slips:
            rows.append({"label": channel.label, "voters": slips})
    return rows


# Ward maps (core's {% ward_map %}): areas only, never where anyone lives -------------------


def _project_ward(project: Project) -> Ward | None:
    """An idea's ward: its own, else its budget's (a ward budget's ideas are in that ward)."""
    return project.ward or project.heading.ward


def ideas_map(process: Process, projects: QuerySet[Project]) -> wardmap.WardMap:
    """How many of the ideas this person may see are in each ward."""
    counts: Counter[Ward | str] = Counter()
    elsewhere = 0
    for project in projects.select_related("ward", "heading__ward"):
        ward = _project_ward(project)
        if ward is None:
            elsewhere += 1
        else:
            counts[ward] += 1
    return wardmap.build(
        process.council,
        {w: counts.get(w, 0) for w in process.council.wards.all()},
        title=_("Ideas by ward"),
        description=_("How many ideas there are in each ward."),
        value_heading=_("Ideas"),
        map_id="ideas-map",
        extra_rows=[(_("Whole area or no ward given"), f"{elsewhere:,}")] if elsewhere else [],
    )


def funded_map(process: Process) -> wardmap.WardMap | None:
    """The money the latest counts gave to funded projects in each ward (None: not counted)."""
    if not latest_counts(process):
        return None
    funded = funded_codes(process)
    money: Counter[Ward | str] = Counter()
    elsewhere = 0
    for project in process.projects.filter(code__in=funded).select_related("ward", "heading__ward"):
        ward = _project_ward(project)
        if ward is None:
            elsewhere += project.cost
        else:
            money[ward] += project.cost
    symbol = process.currency_symbol
    return wardmap.build(
        process.council,
        {
            w: wardmap.Cell(money.get(w, 0), f"{symbol}{money.get(w, 0):,}")
            for w in process.council.wards.all()
        },
        title=_("Money for funded projects, by ward"),
        description=_("How much the funded projects in each ward cost."),
        value_heading=_("Funded projects' cost"),
        prefix=symbol,
        map_id="funded-map",
        extra_rows=[(_("Whole area or no ward given"), f"{symbol}{elsewhere:,}")]
        if elsewhere
        else [],
    )


def idea_quotes(project: Project) -> list[str]:
    """The quotes an idea made from residents' words shows: of those copied when it was made,
    only the ones their source still offers (a story held back since is never quoted)."""
    evidence = project.evidence or {}
    return quotes_still_shown(str(evidence.get("source", "")), evidence.get("quotes", ()))


def idea_history(project: Project) -> list[dict[str, Any]]:
    """What has happened to an idea, oldest first, for its public page: its steps (sent in,
    published, on the ballot...), being funded by a count, and delivery updates (its
    commitment's)."""
    steps = [{"when": when, "what": what} for when, what in _idea_steps(project)]
    delivery = delivery_of(project)
    if delivery is not None:
        steps += [
            {
                "when": u.at,
                "what": _("Delivery update: %(text)s") % {"text": bilingual.text(u, "text")},
            }
            for u in delivery.updates.all()
        ]
    return sorted(steps, key=lambda s: s["when"])


def _idea_steps(project: Project) -> list[tuple[datetime, str]]:
    steps = [(s.at, str(s.get_step_display())) for s in project.history.all()]
    latest = latest_counts(project.process).get(project.heading_id)
    if latest is not None and project.code in latest.selected:
        steps.append((latest.computed_at, _("Funded, when the votes were counted")))
    return steps


# Delivery: a funded project's commitment (core's) ------------------------------------------


def delivery_of(project: Project) -> Commitment | None:
    """The commitment made of a funded project (None before its results were stored)."""
    return commitment_selectors.for_source(project.process.council, subject_key(project))


def deliveries(process: Process, projects: list[Project]) -> dict[str, Commitment]:
    """Each project's commitment by its code (those that have one)."""
    keys = {subject_key(p): p.code for p in projects}
    found = commitment_selectors.for_sources(process.council, keys)
    return {keys[source]: c for source, c in found.items()}


def delivery_updates(process: Process, limit: int = 50) -> list[tuple[CommitmentUpdate, Project]]:
    """The latest updates on the funded projects' commitments, newest first, with their
    project."""
    funded = list(process.projects.filter(code__in=funded_codes(process)))
    by_source = {subject_key(p): p for p in funded}
    found = commitment_selectors.for_sources(process.council, by_source)
    updates = commitment_selectors.public_updates(found.values())[:limit]
    return [(u, by_source[u.commitment.source]) for u in updates]


def journey(council: Council, key: str) -> list[tuple[date | datetime, str]]:
    """An idea's public story before it became a commitment (core.registry ``journey``):
    sent in, published, put on the ballot, funded. Nothing for an idea not public."""
    label, _sep, ident = key.partition(":")
    if label != "budgeting.project" or not ident.isdigit():
        return []
    project = (
        Project.objects.filter(process__council=council, pk=int(ident))
        .select_related("process")
        .first()
    )
    if project is None or not project.is_public:
        return []
    return list(_idea_steps(project))


def unusable_papers(heading: Heading) -> dict[str, int]:
    """How many blank and spoilt paper ballots a budget has (not votes)."""
    found = dict(
        UnusablePaper.objects.filter(heading=heading)
        .values_list("kind")
        .annotate(n=DbCount("id"))
        .values_list("kind", "n")
    )
    return {kind: found.get(kind, 0) for kind in UnusablePaper.Kind.values}


# Notices: who hears, what can be followed ---------------------------------------------------


def followable(council: Council, label: str, pk: int) -> tuple[str, str] | None:
    """A budget ("budgeting.process") or an idea anyone may see ("budgeting.project") as
    (title, page); None for anything else (an idea not published names nothing)."""
    if label == "budgeting.process":
        process = Process.objects.filter(council=council, pk=pk).first()
        if process is None:
            return None
        return bilingual.text(process, "title"), reverse("budgeting:detail", args=[process.slug])
    if label == "budgeting.project":
        project = (
            Project.objects.select_related("process")
            .filter(process__council=council, pk=pk)
            .first()
        )
        if project is None or not project.is_public:
            return None
        return bilingual.text(project, "title"), reverse(
            "budgeting:idea", args=[project.process.slug, project.code]
        )
    return None


def budget_subjects(process: Process) -> list[str]:
    """Who follows a budget hears of it: the budget itself and the wards of its budgets."""
    wards = Ward.objects.filter(pk__in=process.headings.filter(ward__isnull=False).values("ward"))
    return [subject_key(process), *(subject_key(w) for w in wards)]


def receipt_reference(ballot: Ballot) -> str:
    """A ballot's receipt reference: a keyed hash (the install's secret) of its id, which an
    officer can check against a ballot and which reveals nothing of what it holds."""
    digest = salted_hmac(
        "changemaker.budgeting.receipt", str(ballot.pk), algorithm="sha256"
    ).hexdigest()
    found = digest[:12].upper()
    return "-".join(found[i : i + 4] for i in range(0, 12, 4))


def account_voters(process: Process) -> list[int]:
    """The people who voted signed in (they know they voted: results may tell them)."""
    return sorted(
        set(process.ballots.filter(voter__isnull=False).values_list("voter_id", flat=True))
    )


def ideas_on_ballot(process: Process) -> QuerySet[Project]:
    """The ideas residents voted on, with their authors (results tell them)."""
    return process.projects.filter(status=Project.Status.SHORTLISTED).select_related("heading")


def voting_to_announce(now: datetime) -> list[Process]:
    """Budgets whose voting is open now and whose opening has not been announced."""
    announced = set(Notice.objects.filter(kind=VOTING_OPENS).values_list("key", flat=True))
    return [
        process
        for process in Process.objects.filter(voting_from__lte=now, voting_until__gt=now)
        if voting_key(process) not in announced
    ]


def describe_subject(council: Council, key: str) -> tuple[str, str] | None:
    """A followable budgeting key ("budgeting.process:3") as (title, page), or None."""
    label, _sep, ident = key.partition(":")
    return followable(council, label, int(ident)) if ident.isdigit() else None
