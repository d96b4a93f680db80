"""The residents register: imported all or nothing with line, column and field errors, kept as
keyed hashes only, matched at the eligibility check (one account per entry), and the manual
check for residents it does not find."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.budgeting import actions
from changemaker.budgeting.engine.register import parse_register
from changemaker.budgeting.models import (
    Eligibility,
    ManualCheck,
    Process,
    RegisterEntry,
    RegisterImport,
)
from changemaker.core.models import AuditEvent, Council, Role, User
from changemaker.core.tests.factories import CouncilFactory
from changemaker.engine.problems import InputError

HOST = {"HTTP_HOST": "exampleton.test"}
TODAY = dt.date(2026, 6, 1)
GOOD = (
    "\ufeffName,Date of Birth,Postcode,Reference\r\n"
    "Riya Resident,01/01/1990,ex1 1aa,EL-1\r\n"
    "\r\n"
    "Zoë O'Brien-Smith,1985-07-31,EX1  2AB,EL-2\r\n"
    "Kim Twin,2001-02-03,EX1 3CD,EL-3\r\n"
    "Kam Twin,2001-02-03,EX1 3CD,EL-4\r\n"
)


def _import(council: Council, text: str, officer: User) -> RegisterImport:
    return actions.import_register(council, text, source="register.csv", by=officer)


def test_import_keeps_only_keyed_hashes_and_wards(
    make_process: Callable[..., Process], council: Council, make_user: Callable[..., User]
) -> None:
    make_process()  # Exampleton's ward Abbey: EX1
    done = _import(council, GOOD, make_user(Role.ENGAGEMENT_OFFICER))
    assert done.residents == 4
    entries = list(RegisterEntry.objects.all())
    assert {e.ward.name for e in entries} == {"Abbey"}
    stored = " ".join(e.key for e in entries).lower()
    for personal in ("riya", "resident", "1990", "ex1", "brien", "twin"):
        assert personal not in stored
    assert len({e.key for e in entries}) == 3  # the twins share name, birth date and postcode
    event = AuditEvent.objects.get(action="pb.register_imported")
    assert event.detail == {"residents": 4}


def test_reimport_replaces_the_register_and_a_bad_file_changes_nothing(
    make_process: Callable[..., Process], council: Council, make_user: Callable[..., User]
) -> None:
    make_process()
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    _import(council, GOOD, officer)
    before = sorted(RegisterEntry.objects.values_list("key", flat=True))
    with pytest.raises(InputError):
        _import(council, "name,date_of_birth,postcode\nNew Person,31/02/1990,EX1 1AA\n", officer)
    assert sorted(RegisterEntry.objects.values_list("key", flat=True)) == before
    _import(council, "name,date_of_birth,postcode\nNew Person,01/03/1990,EX1 1AA\n", officer)
    assert RegisterEntry.objects.count() == 1 and RegisterImport.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name,postcode\nA B,EX1 1AA\n", "register.csv, line 1, column 'date_of_birth': column"),
        ("name,dob,postcode\nA B,31/02/1990,EX1 1AA\n", "line 2, column 'date_of_birth'"),
        ("name,dob,postcode\nA B,1990-01-01,EX1 1AA\nC D,tomorrow,EX1 1AA\n", "line 3"),
        ("name,dob,postcode\r\nA B,01/01/1870,EX1 1AA\r\n", "line 2, column 'date_of_birth'"),
        ("name,dob,postcode\nA B,01/01/1990,NOT A POSTCODE\n", "line 2, column 'postcode'"),
        ("name,dob,postcode\n,01/01/1990,EX1 1AA\n", "line 2, column 'name'"),
        ("name,dob,postcode\nA B,01/01/1990\n", "line 2: has 2 values but the header needs 3"),
        ("name,dob,postcode,ref\nA,1990-01-01,EX1 1AA,R1\nB,1990-01-01,EX1 1AA,R1\n", "line 3"),
        ("name,dob,postcode\nA B,01/01/1990,SW1A 1AA\n", "line 2, column 'postcode': is in none"),
        ("name,dob,postcode\n", "has no residents"),
        ("", "has no header row"),
        ('name,dob,postcode\n"A B,01/01/1990,EX1 1AA\n', "check its quotes"),
    ],
)
def test_bad_files_say_where_and_save_nothing(
    text: str,
    where: str,
    make_process: Callable[..., Process],
    council: Council,
    make_user: Callable[..., User],
) -> None:
    make_process()
    with pytest.raises(InputError) as raised:
        _import(council, text, make_user(Role.ENGAGEMENT_OFFICER))
    assert where in str(raised.value)
    assert "1990" not in str(raised.value) and "A B" not in str(raised.value)  # nothing echoed
    assert not RegisterEntry.objects.exists() and not RegisterImport.objects.exists()


def test_officer_imports_through_the_page_and_sees_every_problem(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    make_process()
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("budgeting:staff-register")
    bad = "name,dob,postcode\nA B,31/02/1990,EX1 1AA\nC D,01/01/1990,XX\n"
    page = officer.post(url, {"file": SimpleUploadedFile("reg.csv", bad.encode())}, **HOST)
    assert page.status_code == 200 and "There is a problem" in page.text
    assert "reg.csv, line 2, column &#x27;date_of_birth&#x27;" in page.text
    assert "reg.csv, line 3, column &#x27;postcode&#x27;" in page.text
    latin = SimpleUploadedFile(
        "reg.csv", "name,dob,postcode\nZoë,01/01/1990,EX1 1AA\n".encode("cp1252")
    )
    assert "not text in UTF-8" in officer.post(url, {"file": latin}, **HOST).text
    assert not RegisterEntry.objects.exists()
    good = SimpleUploadedFile("reg.csv", GOOD.encode())
    done = officer.post(url, {"file": good}, follow=True, **HOST)
    assert "The register has been replaced: 4 residents" in done.text


def test_register_match_fixes_the_ward_once_per_entry(
    make_process: Callable[..., Process], council: Council, make_user: Callable[..., User]
) -> None:
    process = make_process(evidence="register")
    _import(council, GOOD, make_user(Role.ENGAGEMENT_OFFICER))
    riya = make_user()
    eligibility = actions.check_eligibility(
        process, riya, surname="RESIDENT", born=date(1990, 1, 1), postcode="EX11AA"
    )
    assert (eligibility.evidence, eligibility.ward.name) == ("register", "Abbey")
    zoe = actions.check_eligibility(
        process, make_user(), surname="o'brien-smith", born=date(1985, 7, 31), postcode="ex1 2ab"
    )
    assert zoe.evidence == "register"
    with pytest.raises(actions.NotOnRegister, match="already used these details"):
        actions.check_eligibility(
            process, make_user(), surname="Resident", born=date(1990, 1, 1), postcode="EX1 1AA"
        )
    with pytest.raises(actions.NotOnRegister, match="could not find you"):
        actions.check_eligibility(
            process, make_user(), surname="Resident", born=date(1990, 1, 2), postcode="EX1 1AA"
        )
    twins = [
        actions.check_eligibility(
            process, make_user(), surname="Twin", born=date(2001, 2, 3), postcode="EX1 3CD"
        )
        for _ in range(2)
    ]
    assert sorted(t.register_slot for t in twins) == [0, 1]
    with pytest.raises(actions.NotOnRegister):
        actions.check_eligibility(
            process, make_user(), surname="Twin", born=date(2001, 2, 3), postcode="EX1 3CD"
        )
    assert Eligibility.objects.count() == 4


def test_another_councils_register_does_not_match(
    make_process: Callable[..., Process], council: Council, make_user: Callable[..., User]
) -> None:
    process = make_process(evidence="register")
    other = CouncilFactory(name="Riverside", slug="riverside", domain="riverside.test")
    _import(other, "name,dob,postcode\nRiya Resident,01/01/1990,EX1 1AA\n", make_user())
    with pytest.raises(actions.NotOnRegister):
        actions.check_eligibility(
            process, make_user(), surname="Resident", born=date(1990, 1, 1), postcode="EX1 1AA"
        )


def test_unmatched_resident_asks_for_a_manual_check_and_an_officer_decides(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(evidence="register")
    resident = make_user(Role.RESIDENT)
    client = Client()
    client.force_login(resident, backend="django.contrib.auth.backends.ModelBackend")
    vote = reverse("budgeting:vote", args=[process.slug])
    answers = {"surname": "Newcomer", "postcode": "EX1 4EF", "born": "02/02/1992"}
    page = client.post(vote, answers, **HOST)
    assert "could not find you" in page.text and "Ask us to check by hand" in page.text
    ask = reverse("budgeting:vote-check", args=[process.slug])
    blank = client.post(ask, {"postcode": "EX1 4EF", "born": "02/02/1992"}, **HOST)
    assert "Enter your full name" in blank.text and not ManualCheck.objects.exists()
    sent = client.post(
        ask,
        {"full_name": "Nia Newcomer", "postcode": "EX1 4EF", "born": "02/02/1992", "note": "New"},
        follow=True,
        **HOST,
    )
    assert "An officer will check" in sent.text and "You have asked us" in sent.text
    check = ManualCheck.objects.get()
    assert check.ward.name == "Abbey"
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    listing = officer.get(reverse("budgeting:staff-checks", args=[process.slug]), **HOST).text
    assert "Nia" not in listing and "EX1" not in listing
    detail_url = reverse("budgeting:staff-check", args=[process.slug, check.pk])
    detail = officer.get(detail_url, **HOST).text
    assert "Nia Newcomer" in detail
    assert AuditEvent.objects.filter(action="pb.manual_check_viewed").count() == 1
    approved = officer.post(detail_url, {"decision": "approve"}, **HOST)
    assert approved.status_code == 302
    check.refresh_from_db()
    assert check.status == "approved" and (check.full_name, check.postcode, check.born) == (
        "",
        "",
        None,
    )
    assert Eligibility.objects.get(user=resident).evidence == "manual"
    event = AuditEvent.objects.get(action="pb.manual_check_decided")
    assert event.detail == {"decision": "approved"}
    assert client.get(vote, **HOST)["Location"].startswith(f"/budgets/{process.slug}/vote/")


def test_refusing_a_manual_check_needs_a_reason_the_resident_sees(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(evidence="register")
    resident, officer = make_user(), make_user(Role.ENGAGEMENT_OFFICER)
    check = actions.request_manual_check(
        process, resident, full_name="A B", postcode="EX1 4EF", born=date(1990, 1, 1)
    )
    with pytest.raises(actions.ActionRefused, match="already asked"):
        actions.request_manual_check(
            process, resident, full_name="A B", postcode="EX1 4EF", born=date(1990, 1, 1)
        )
    with pytest.raises(actions.ActionRefused, match="Give the reason"):
        actions.decide_manual_check(check, by=officer, approve=False, reason=" ")
    actions.decide_manual_check(check, by=officer, approve=False, reason="Not on our records")
    with pytest.raises(actions.ActionRefused, match="already been decided"):
        actions.decide_manual_check(check, by=officer, approve=True, reason="")
    assert not Eligibility.objects.exists()
    client = Client()
    client.force_login(resident, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("budgeting:vote", args=[process.slug]), **HOST).text
    assert "Not on our records" in page


# The parser, fuzzed: any text either gives rows or an InputError that says where ------------

ROW = st.tuples(
    st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=12),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    st.sampled_from(["EX1 1AA", "ex12ab", "SW1A 1AA", "B1 1BB"]),
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab,"\r\n\ufeff1/-:; é\x00\t'), max_size=80))
def test_parser_never_fails_in_another_way(text: str) -> None:
    try:
        rows = parse_register("name,dob,postcode\n" + text, today=TODAY)
    except InputError as exc:
        assert exc.problems and all(p.file == "register.csv" for p in exc.problems)
        lines = text.count("\n") + text.count("\r") + 2
        assert all(p.line is None or 1 <= p.line <= lines for p in exc.problems)
    else:
        assert rows and all(r.surname and r.born <= TODAY for r in rows)


@settings(max_examples=100, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=20), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_parser_reads_back_what_was_written(
    rows: list[tuple[str, dt.date, str]], newline: str, bom: bool
) -> None:
    body = newline.join(f"Ms {n},{d.strftime('%d/%m/%Y')},{p}" for n, d, p in rows)
    text = ("\ufeff" if bom else "") + "name,date_of_birth,postcode" + newline + body + newline
    parsed = parse_register(text, today=TODAY)
    assert [(r.born, r.postcode) for r in parsed] == [
        (d, p.upper().replace(" ", "")) for _, d, p in rows
    ]
    assert [r.line for r in parsed] == list(range(2, len(rows) + 2))


def test_the_demo_register_lets_the_demo_resident_vote(
    council: Council, make_user: Callable[..., User]
) -> None:
    from changemaker.budgeting import demo
    from changemaker.core.management.commands.load_demo import WARDS
    from changemaker.core.tests.factories import WardFactory

    for name, code, districts in WARDS:
        WardFactory(council=council, name=name, code=code, postcode_districts=districts)
    demo.load(council)
    demo.load(council)  # idempotent: the register is imported once
    assert RegisterImport.objects.get().residents == 5
    process = Process.objects.get(slug="green-spaces-2027")
    assert process.evidence == "register"
    riya = actions.check_eligibility(
        process, make_user(), surname="Resident", born=date(1990, 1, 1), postcode="EX1 1AA"
    )
    assert riya.evidence == "register" and riya.ward.name == "Abbey"
