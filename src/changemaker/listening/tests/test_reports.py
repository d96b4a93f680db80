"""We asked, you said, we did: drafting from a capability's hook, drafting again, publishing
and unpublishing (audited, followers told once), a draft never public, the commitments that
follow, the open data, the officers' pages for every role, and the whole journey with plain
forms (no JavaScript).

The capability is a stand-in registered in ``core.registry.REPORT_LISTERS``: listening never
imports one (each capability's own drafts are tested in its tests folder)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core import registry
from changemaker.core.models import AuditEvent, Commitment, Council, Notice, Role, User, Ward
from changemaker.core.notices import subject_key
from changemaker.core.registry import ReportDraft, ReportSource
from changemaker.core.tests.factories import WardFactory, sign_in
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.listening import actions, selectors
from changemaker.listening.models import Follow, Report

from .conftest import HOST

pytestmark = pytest.mark.django_db

WRITERS = {Role.ENGAGEMENT_OFFICER, Role.EVIDENCE_LEAD, Role.SURVEY_LEAD, Role.COUNCIL_ADMIN}
#: what the stand-in drafts (changed by tests to see a new draft)
DRAFT = {"you_said": "212 people voted. Votes by ward: Abbey 120; Riverside 92."}


@pytest.fixture
def ward(council: Council) -> Ward:
    return WardFactory(council=council, name="Riverside")


@pytest.fixture
def source(council: Council, ward: Ward, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A closed process (a ward stands in: it is followable) offered by a stand-in lister."""
    key = subject_key(ward)

    def lister(for_council: Council) -> list[ReportSource]:
        if for_council != council:
            return []
        return [
            ReportSource(
                key=key,
                kind="Participatory budget",
                title="Riverside Fund 2026",
                closed_on=date(2026, 11, 11),
                draft=lambda: ReportDraft(
                    we_asked="We asked how to spend £20,000 in Riverside.",
                    you_said=DRAFT["you_said"],
                    figures=[("People who voted", "212")],
                    url="/budgets/riverside-2026/results/",
                    related_sources=["budgeting.project:7"],
                ),
            )
        ]

    monkeypatch.setattr(registry, "REPORT_LISTERS", [lister])
    yield key
    DRAFT["you_said"] = "212 people voted. Votes by ward: Abbey 120; Riverside 92."


def _officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.ENGAGEMENT_OFFICER)


def _drafted(council: Council, key: str, officer: User) -> Report:
    found = selectors.report_source(council, key)
    assert found is not None
    return actions.draft_report(council, found, by=officer)


def test_a_draft_holds_the_hook_s_words_and_figures_and_is_never_public(
    council: Council, source: str, make_user: Callable[..., User]
) -> None:
    report = _drafted(council, source, _officer(make_user))
    assert (report.title, report.kind, report.status) == ("Riverside Fund 2026", "ward", "draft")
    assert report.we_asked == "We asked how to spend £20,000 in Riverside."
    assert report.figures == [{"key": "", "value": "212", "facts": {}, "label": "People who voted"}]
    assert report.related_sources == ["budgeting.project:7"]
    assert report.closed_on == date(2026, 11, 11)
    assert AuditEvent.objects.filter(action="listening.report_drafted").count() == 1
    # drafting again from the list changes nothing: one page per process
    assert _drafted(council, source, _officer(make_user)).pk == report.pk
    assert Report.objects.count() == 1
    assert Client().get(f"/you-said-we-did/{report.pk}/", **HOST).status_code == 404
    listed = Client().get("/you-said-we-did/", **HOST).content.decode()
    assert "Riverside Fund 2026" not in listed
    assert Client().get("/api/listening/reports", **HOST).json()["count"] == 0


def test_drafting_again_keeps_the_officer_s_edits_unless_they_replace_them(
    council: Council, source: str, make_user: Callable[..., User]
) -> None:
    officer = _officer(make_user)
    report = _drafted(council, source, officer)
    actions.save_report(
        report,
        by=officer,
        parts={"we_asked": "We asked Riverside how to spend £20,000.", "we_did": "We built it."},
    )
    DRAFT["you_said"] = "215 people voted after the paper ballots were added."
    found = selectors.report_source(council, source)
    assert found is not None
    actions.redraft_report(report, found, by=officer, replace=False)
    report.refresh_from_db()
    assert report.we_asked == "We asked Riverside how to spend £20,000."  # edited: kept
    assert report.you_said == "215 people voted after the paper ballots were added."  # not
    assert report.we_did == "We built it."
    actions.redraft_report(report, found, by=officer, replace=True)
    report.refresh_from_db()
    assert report.we_asked == "We asked how to spend £20,000 in Riverside."
    assert report.we_did == "We built it."  # never drafted
    kept = AuditEvent.objects.filter(action="listening.report_redrafted").order_by("pk")
    assert [e.detail["kept"] for e in kept] == [["we_asked"], []]


def test_publish_and_unpublish_are_audited_and_followers_hear_once(
    council: Council, source: str, make_user: Callable[..., User]
) -> None:
    officer = _officer(make_user)
    follower = make_user()
    Follow.objects.create(user=follower, council=council, subject=source)
    report = _drafted(council, source, officer)
    with pytest.raises(actions.ListeningError, match="Write what we did"):
        actions.publish_report(report, by=officer)
    assert Notice.objects.count() == 0
    actions.save_report(report, by=officer, parts={"we_did": "Cabinet agreed all five."})
    actions.publish_report(report, by=officer)
    notice = Notice.objects.get(kind="listening.report_published")
    assert notice.subjects == [source]
    assert notice.params["title"] == "Riverside Fund 2026"
    published = AuditEvent.objects.get(action="listening.report_published")
    assert published.detail == {"source": source}
    assert published.actor_id == officer.pk
    page = Client().get(f"/you-said-we-did/{report.pk}/", **HOST).content.decode()
    for heading in ("We asked", "You said", "We did"):
        assert f">{heading}</h2>" in page
    assert "Sign in to follow this" in page  # the source (a ward) can be followed
    assert "Cabinet agreed all five." in page and "212" in page

    actions.unpublish_report(report, by=officer)
    assert AuditEvent.objects.filter(action="listening.report_unpublished").count() == 1
    assert Client().get(f"/you-said-we-did/{report.pk}/", **HOST).status_code == 404
    actions.publish_report(report, by=officer)
    assert Notice.objects.filter(kind="listening.report_published").count() == 1


def test_the_page_lists_the_commitments_of_the_process_and_its_items(
    council: Council, source: str, make_user: Callable[..., User]
) -> None:
    officer = _officer(make_user)
    report = _drafted(council, source, officer)
    actions.save_report(report, by=officer, parts={"we_did": "Work starts in spring."})
    actions.publish_report(report, by=officer)
    Commitment.objects.create(council=council, title="Resurface the skate park", source=source)
    Commitment.objects.create(
        council=council,
        title="Plant 40 street trees",
        source="budgeting.project:7",
        status="in_progress",
        progress=35,
    )
    Commitment.objects.create(
        council=council, title="Not public yet", source=source, published=False
    )
    Commitment.objects.create(council=council, title="Someone else's", source="budgeting.project:8")
    page = Client().get(f"/you-said-we-did/{report.pk}/", **HOST).content.decode()
    assert "Resurface the skate park" in page and "Plant 40 street trees" in page
    assert "35%" in page and "In progress" in page
    assert "Not public yet" not in page and "Someone else" not in page


def test_the_list_filters_by_kind_and_the_api_lists_published_pages(
    council: Council, source: str, make_user: Callable[..., User]
) -> None:
    officer = _officer(make_user)
    report = _drafted(council, source, officer)
    actions.save_report(report, by=officer, parts={"we_did": "Done."})
    actions.publish_report(report, by=officer)
    shown = Client().get("/you-said-we-did/?kind=ward", **HOST).content.decode()
    assert "Riverside Fund 2026" in shown
    other = Client().get("/you-said-we-did/?kind=consultations.consultation", **HOST)
    assert "Riverside Fund 2026" not in other.content.decode()
    body = Client().get("/api/listening/reports", **HOST).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["we_did"] == "Done." and item["figures"] == [
        {"label": "People who voted", "label_cy": "People who voted", "value": "212"}
    ]
    assert item["url"] == f"/you-said-we-did/{report.pk}/"


# The officers' pages ------------------------------------------------------------------------

#: view name -> (method, needs a page)
STAFF_VIEWS = {
    "listening:reports-staff": ("get", False),
    "listening:report-edit": ("get", True),
    "listening:report-redraft": ("get", True),
    "listening:report-preview": ("get", True),
    "listening:report-publish": ("post", True),
    "listening:report-unpublish": ("post", True),
}


@pytest.mark.parametrize("view", sorted(STAFF_VIEWS))
@pytest.mark.parametrize("who", ALL_ROLES)
def test_role_view_matrix(
    council: Council,
    source: str,
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
    view: str,
    who: str,
) -> None:
    method, with_page = STAFF_VIEWS[view]
    args = [_drafted(council, source, _officer(make_user)).pk] if with_page else []
    response = getattr(client_for(who, client_as), method)(reverse(view, args=args), **HOST)
    assert_allowed_or_refused(response, view, who, {str(r) for r in WRITERS})


@pytest.mark.parametrize("who", ALL_ROLES)
def test_drafting_is_for_writers_only(
    council: Council, source: str, client_as: Callable[[str | None], Client], who: str
) -> None:
    response = client_for(who, client_as).post(
        reverse("listening:report-draft"), {"source": source}, **HOST
    )
    assert_allowed_or_refused(response, "listening:report-draft", who, {str(r) for r in WRITERS})


def test_every_staff_view_is_in_the_matrix() -> None:
    from changemaker.listening.urls import staff_reports

    names = {f"listening:{p.name}" for p in staff_reports.urlpatterns}
    assert names == {*STAFF_VIEWS, "listening:report-draft"}


def test_a_process_no_capability_lists_cannot_be_drafted(
    council: Council, source: str, client_as: Callable[[str | None], Client]
) -> None:
    client = client_as(Role.ENGAGEMENT_OFFICER)
    response = client.post(
        reverse("listening:report-draft"), {"source": "budgeting.process:999"}, **HOST
    )
    assert response.status_code == 404
    assert Report.objects.count() == 0


def test_the_journey_with_plain_forms(
    council: Council, source: str, make_user: Callable[..., User]
) -> None:
    """Draft -> edit (an error, then saved) -> preview -> publish -> the public page, each
    step a plain form post (no JavaScript)."""
    client = sign_in(Client(), _officer(make_user))
    listed = client.get("/you-said-we-did/manage/", **HOST).content.decode()
    assert "Riverside Fund 2026" in listed and "Draft the page" in listed
    response = client.post("/you-said-we-did/manage/draft/", {"source": source}, **HOST)
    report = Report.objects.get()
    assert response["Location"] == f"/you-said-we-did/manage/{report.pk}/"
    form = client.get(response["Location"], **HOST).content.decode()
    assert "We did, in Welsh (optional)" in form
    parts = {
        "title": "",
        "we_asked": report.we_asked,
        "you_said": report.you_said,
        "we_did": "The cabinet agreed all five ideas on 3 December 2026.",
        "we_did_cy": "Cytunodd y cabinet ar y pum syniad ar 3 Rhagfyr 2026.",
    }
    error = client.post(response["Location"], parts, **HOST).content.decode()
    assert "govuk-error-summary" in error and "Enter a title" in error
    parts["title"] = "Riverside Fund 2026: what happened"
    assert client.post(response["Location"], parts, **HOST).status_code == 302
    preview = client.get(f"/you-said-we-did/manage/{report.pk}/preview/", **HOST)
    assert "this page is a draft" in preview.content.decode()
    published = client.post(f"/you-said-we-did/manage/{report.pk}/publish/", **HOST)
    assert published["Location"] == f"/you-said-we-did/{report.pk}/"
    page = Client().get(published["Location"], **HOST).content.decode()
    assert "Riverside Fund 2026: what happened" in page
    assert "The cabinet agreed all five ideas on 3 December 2026." in page
    welsh = Client().get(published["Location"], HTTP_ACCEPT_LANGUAGE="cy", **HOST)
    assert "Cytunodd y cabinet" in welsh.content.decode()
    assert (
        "Riverside Fund 2026: what happened"
        in Client().get("/you-said-we-did/", **HOST).content.decode()
    )


def test_no_follow_button_where_the_source_cannot_be_followed(
    council: Council, source: str, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = _officer(make_user)
    report = _drafted(council, source, officer)
    actions.save_report(report, by=officer, parts={"we_did": "Done."})
    actions.publish_report(report, by=officer)
    Report.objects.filter(pk=report.pk).update(source="budgeting.process:999")
    page = Client().get(f"/you-said-we-did/{report.pk}/", **HOST).content.decode()
    assert "We did" in page and "Sign in to follow this" not in page
