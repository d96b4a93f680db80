"""The people pages end to end with the test client: search (POST, audited, nothing personal
in URLs or audit details), person and household pages, restricted fields, flag review with a
false link, indicators, export, access history, the access log and the statistics."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core import actions
from changemaker.core.models import AuditEvent, Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.core.tests.test_ward_maps import DEMO as DEMO_WARDS
from changemaker.insight.indicators import evaluate
from changemaker.insight.models import FalseLink, Flag, FlagReview, Indicator
from changemaker.insight.selectors import flagged_by_ward, suppressed
from changemaker.insight.tests.people_fixtures import HOST, World, demo_indicators, make_world

PERSONAL = ["Lovelace", "Babbage", "1985", "EX1 1AA", "HB-CLAIM-SECRET"]


@pytest.fixture
def world(council: Council) -> World:
    made = make_world(council)
    demo_indicators(made)
    evaluate(made.run)
    return made


def signed_in(make_user: Callable[..., User], role: str, world: World, purpose: str) -> Client:
    client = Client()
    sign_in(client, make_user(role))
    if purpose:
        client.post(reverse("insight:purpose"), {"purpose": getattr(world, purpose).pk}, **HOST)
    return client


def no_personal_data_in_audit() -> None:
    for event in AuditEvent.objects.all():
        text = json.dumps(event.detail) + event.object_id
        for value in PERSONAL:
            assert value not in text, (event.action, value)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"person_id": "p00000001"}, ["P00000001"]),
        ({"surname": "lovelace", "date_of_birth": "10/12/1985"}, ["P00000001"]),
        ({"postcode": "ex11aa"}, ["P00000001", "P00000002"]),
        ({"postcode": "EX9 9ZZ"}, []),
    ],
)
def test_search(
    query: dict[str, str], found: list[str], world: World, make_user: Callable[..., User]
) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    response = client.post(reverse("insight:search"), query, **HOST)
    assert response.status_code == 200
    page = response.content.decode()
    for pid in ["P00000001", "P00000002", "P00000003"]:
        assert (f"/insight/people/{pid}/" in page) is (pid in found)
    event = AuditEvent.objects.filter(action="insight.search").get()
    assert event.detail["results"] == len(found)
    assert event.reason == "Early help assessment"
    no_personal_data_in_audit()


def test_search_needs_both_surname_and_date(world: World, make_user: Callable[..., User]) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    response = client.post(reverse("insight:search"), {"surname": "Lovelace"}, **HOST)
    assert "Enter both the surname and the date of birth" in response.content.decode()
    response = client.post(reverse("insight:search"), {}, **HOST)
    assert "There is a problem" in response.content.decode()


def test_search_only_finds_what_the_purpose_allows(
    world: World, make_user: Callable[..., User]
) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "debt")
    # Byron is only in the school dataset, which debt advice does not cover
    response = client.post(reverse("insight:search"), {"person_id": "P00000002"}, **HOST)
    assert "/insight/people/P00000002/" not in response.content.decode()


def test_person_page_shows_records_flags_and_hides_restricted(
    world: World, make_user: Callable[..., User]
) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "debt")
    page = client.get(reverse("insight:person", args=["P00000001"]), **HOST).content.decode()
    assert "Council tax" in page and "Housing" in page
    assert "HB-CLAIM-SECRET" not in page
    assert "Restricted: not shown for this purpose" in page
    assert "Council tax arrears over £500" in page
    assert "H00000001" in page
    event = AuditEvent.objects.get(action="insight.person_viewed")
    assert event.detail["subject"] == "P00000001" and event.reason == "Debt advice"
    # with a purpose that may see housing's restricted data, the practitioner sees it
    client = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    page = client.get(reverse("insight:person", args=["P00000001"]), **HOST).content.decode()
    assert "HB-CLAIM-SECRET" in page
    # a data officer (no insight.view_restricted) never does
    client = signed_in(make_user, Role.DATA_OFFICER, world, "early_help")
    page = client.get(reverse("insight:person", args=["P00000001"]), **HOST).content.decode()
    assert "HB-CLAIM-SECRET" not in page


def test_unknown_or_malformed_person_is_not_found(
    world: World, make_user: Callable[..., User]
) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    assert client.get(reverse("insight:person", args=["P99999999"]), **HOST).status_code == 404
    assert client.get(reverse("insight:person", args=["Lovelace"]), **HOST).status_code == 404
    assert client.get(reverse("insight:household", args=["H99"]), **HOST).status_code == 404


def test_household_page(world: World, make_user: Callable[..., User]) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    page = client.get(reverse("insight:household", args=["H00000001"]), **HOST).content.decode()
    assert "P00000001" in page and "P00000002" in page
    assert "School attendance under 90%" in page
    assert "Known to 3 or more services" in page
    assert "School attendance" in page  # the timeline
    assert AuditEvent.objects.filter(action="insight.household_viewed").count() == 1


def test_flag_queue_and_review_with_a_false_link(
    world: World, make_user: Callable[..., User]
) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    page = client.get(reverse("insight:flags"), **HOST).content.decode()
    assert "not a decision" in page
    flag = Flag.objects.get(indicator__name="Rent arrears over 8 weeks")
    url = reverse("insight:flag-review", args=[flag.pk])
    review_page = client.get(url, **HOST).content.decode()
    assert "No decision has been made automatically" in review_page
    ct, hs = world.records["ct1"], world.records["hs1"]
    response = client.post(url, {"outcome": "false_link", "note": "", "records": [ct.pk]}, **HOST)
    assert "Select exactly two records" in response.content.decode()
    response = client.post(
        url,
        {"outcome": "false_link", "note": "Different birth dates", "records": [hs.pk, ct.pk]},
        **HOST,
    )
    assert response.status_code == 302
    link = FalseLink.objects.get()
    assert (link.record_a_id, link.record_b_id) == tuple(sorted([ct.pk, hs.pk]))
    flag.refresh_from_db()
    assert flag.status == Flag.Status.REVIEWED
    assert FlagReview.objects.get().outcome == "false_link"
    page = client.get(reverse("insight:person", args=["P00000001"]), **HOST).content.decode()
    assert "The split takes effect at the next linkage run" in page
    # a reviewed flag cannot be reviewed again
    response = client.post(url, {"outcome": "no_action"}, **HOST)
    assert "already been reviewed" in response.content.decode()
    event = AuditEvent.objects.get(action="insight.flag_reviewed")
    assert event.detail["false_link"] == link.pk
    assert "Different birth dates" not in json.dumps(event.detail)
    no_personal_data_in_audit()


def test_records_of_another_person_cannot_be_split(
    world: World, make_user: Callable[..., User]
) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    flag = Flag.objects.get(indicator__name="Rent arrears over 8 weeks")
    other = world.records["ct3"]
    response = client.post(
        reverse("insight:flag-review", args=[flag.pk]),
        {"outcome": "false_link", "note": "x", "records": [world.records["ct1"].pk, other.pk]},
        **HOST,
    )
    assert response.status_code == 200
    assert not FalseLink.objects.exists()


def test_export_csv_and_json(world: World, make_user: Callable[..., User]) -> None:
    client = signed_in(make_user, Role.PRACTITIONER, world, "debt")
    url = reverse("insight:person-export", args=["P00000001"])
    assert client.get(url, **HOST).status_code == 200
    response = client.post(url, {"format": "csv"}, **HOST)
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "arrears_amount" in body and "Lovelace" in body
    assert "HB-CLAIM-SECRET" not in body and "Restricted: not shown" in body
    client = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    data = json.loads(client.post(url, {"format": "json"}, **HOST).content)
    assert {r["dataset"] for r in data["records"]} == {"council-tax", "housing"}
    assert any(r["fields"].get("hb_claim") == "HB-CLAIM-SECRET" for r in data["records"])
    events = AuditEvent.objects.filter(action="insight.subject_access_export")
    assert events.count() == 2
    assert events.first().detail["records"] == 2  # type: ignore[union-attr]
    no_personal_data_in_audit()


def test_indicators_are_managed_by_data_officers(
    world: World, make_user: Callable[..., User]
) -> None:
    client = signed_in(make_user, Role.DATA_OFFICER, world, "")
    assert (
        "Council tax arrears" in client.get(reverse("insight:indicators"), **HOST).content.decode()
    )
    new = reverse("insight:indicator-new")
    bad = client.post(
        new,
        {
            "name": "X",
            "kind": "field",
            "dataset": world.housing.pk,
            "field": "shoe_size",
            "comparison": "gt",
            "threshold": "lots",
            "level": "person",
        },
        **HOST,
    ).content.decode()
    assert "Enter the threshold as a number" in bad
    bad = client.post(
        new,
        {
            "name": "X",
            "kind": "field",
            "dataset": world.housing.pk,
            "field": "shoe_size",
            "comparison": "gt",
            "threshold": "3",
            "level": "person",
        },
        **HOST,
    ).content.decode()
    assert "Enter a field the dataset keeps" in bad
    response = client.post(
        new,
        {
            "name": "Long rent arrears",
            "kind": "field",
            "dataset": world.housing.pk,
            "field": "rent_arrears_weeks",
            "comparison": "gte",
            "threshold": "12",
            "level": "household",
        },
        **HOST,
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Long rent arrears")
    assert indicator.threshold == Decimal("12") and indicator.level == "household"
    client.post(reverse("insight:indicator-active", args=[indicator.pk]), **HOST)
    indicator.refresh_from_db()
    assert not indicator.active
    assert AuditEvent.objects.filter(action="insight.indicator_deactivated").exists()


def test_access_history_and_log(world: World, make_user: Callable[..., User]) -> None:
    practitioner = signed_in(make_user, Role.PRACTITIONER, world, "early_help")
    practitioner.get(reverse("insight:person", args=["P00000001"]), **HOST)
    mine = practitioner.get(reverse("insight:my-access"), **HOST).content.decode()
    viewed = "Person&#x27;s records viewed"  # the event's plain name (issue 20)
    assert viewed in mine and "Early help assessment" in mine
    officer = signed_in(make_user, Role.DATA_OFFICER, world, "")
    assert viewed not in officer.get(reverse("insight:my-access"), **HOST).content.decode()
    log = officer.get(reverse("insight:access-log"), {"action": "insight.person_viewed"}, **HOST)
    page = log.content.decode()
    table = page.split("<table")[1]
    assert viewed in table and "Purpose stated" not in table
    for value in PERSONAL:
        assert value not in page
    # looking at the log is itself in the log
    assert AuditEvent.objects.filter(action="insight.access_log.viewed").count() == 1


def test_statistics_are_suppressed(world: World, make_user: Callable[..., User]) -> None:
    assert [suppressed(n) for n in (0, 1, 9, 10, 14, 15, 24, 25)] == [
        "0",
        "fewer than 10",
        "fewer than 10",
        "10",
        "10",
        "20",
        "20",
        "30",
    ]
    tables = {t["level"]: t for t in flagged_by_ward(world.council)}
    people = tables["person"]
    abbey = next(r for r in people["rows"] if r["ward"] == "Abbey")
    assert set(abbey["cells"]) <= {"0", "fewer than 10"}
    assert tables["household"]["any"] == "fewer than 10"
    client = signed_in(make_user, Role.ENGAGEMENT_OFFICER, world, "")
    page = client.get(reverse("insight:statistics"), **HOST).content.decode()
    assert "fewer than 10" in page
    for value in [*PERSONAL, "P00000001", "H00000001"]:
        assert value not in page


def test_the_need_map_hatches_small_numbers_and_never_shows_them(
    world: World, make_user: Callable[..., User]
) -> None:
    # Boundaries for both wards of the world (the demo file has them), then the page.
    actions.import_ward_boundaries(world.council, DEMO_WARDS.read_bytes(), file="w", by=None)
    tables = {t["level"]: t for t in flagged_by_ward(world.council)}
    people = tables["person"]
    abbey = next(r for r in people["rows"] if r["ward"] == "Abbey")
    assert abbey["any"] == "fewer than 10"  # a small number: hidden
    client = signed_in(make_user, Role.ENGAGEMENT_OFFICER, world, "")
    page = client.get(reverse("insight:statistics"), **HOST).content.decode()
    svg = page.split('id="need-map-person"')[1].split("</svg>")[0]
    assert "<title>Abbey: fewer than 10</title>" in svg
    assert 'fill="url(#need-map-person-hatch)"' in svg
    assert "<title>Castle Hill: 0</title>" in svg
    # No true count anywhere in the map: every number written in it is a rounded one.
    flagged = Flag.objects.filter(council=world.council).exclude(status=Flag.Status.CLEARED)
    assert flagged.exists()
    written = set(re.findall(r">\s*(\d+)\s*<", svg)) | set(re.findall(r": (\d+)</title>", svg))
    assert written <= {"0"} | {str(n) for n in range(10, 1000, 10)}
    assert "fewer than 10 (not shown)" in page


def test_only_those_who_review_flags_are_offered_the_review_links(
    world: World, make_user: Callable[..., User]
) -> None:
    """A data officer sees people for a purpose but does not review flags: no link of theirs
    leads to "You cannot see this page"; a practitioner's do lead to the flags."""
    flags = reverse("insight:flags")
    review = reverse("insight:flag-review", args=[Flag.objects.filter(status="open").first().pk])  # type: ignore[union-attr]
    pages = [
        reverse("core:staff"),
        reverse("insight:search"),
        reverse("insight:household", args=["H00000001"]),
    ]
    for role, offered in ((Role.DATA_OFFICER, False), (Role.PRACTITIONER, True)):
        client = signed_in(make_user, role, world, "early_help")
        text = "".join(client.get(path, **HOST).content.decode() for path in pages)
        assert (f'href="{flags}"' in text) is offered, role
        assert (client.get(flags, **HOST).status_code == 200) is offered, role
        household = client.get(pages[2], **HOST).content.decode()
        assert household.count(f'href="{review}"') == (1 if offered else 0), role


def test_a_persons_name_and_birthday_read_alike_whichever_service_wrote_them() -> None:
    from types import SimpleNamespace

    from changemaker.insight.selectors import identify

    class Shows:
        def shows(self, dataset: int, field: str) -> bool:
            return True

    for first, surname, born, name, day in [
        ("archie", "WILSONQUILL", "1978-02-14", "Archie Wilsonquill", "14/02/1978"),
        ("Mary", "McDonald", "22/11/1973", "Mary McDonald", "22/11/1973"),
        ("", "O'BRIEN", "31/09/1966", "O'Brien", "31/09/1966"),  # not a date: as written
    ]:
        row = {"name": "", "dob": ""}
        record = SimpleNamespace(
            dataset_id=1, first_name=first, surname=surname, date_of_birth=born
        )
        identify(Shows(), row, record)  # type: ignore[arg-type]
        assert (row["name"], row["dob"]) == (name, day)
