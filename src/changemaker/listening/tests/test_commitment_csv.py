"""Commitments as CSV: errors say line, column and what to do; nothing is half-written; an
export imported again gives the same commitments; no file, however odd, gives a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.core import commitment_csv, commitments
from changemaker.core.models import AuditEvent, Council, Role, User
from changemaker.core.models.commitments import Commitment
from changemaker.core.tests.factories import WardFactory
from changemaker.engine.problems import InputError

from .conftest import HOST

pytestmark = pytest.mark.django_db
HEADER = ",".join(commitment_csv.COLUMNS)


def _import(council: Council, text: str) -> int:
    return commitments.import_commitments(council, text, by=None, name="plan.csv")


def _state(council: Council) -> list[tuple[object, ...]]:
    return list(
        Commitment.objects.filter(council=council)
        .order_by("pk")
        .values_list(
            "pk",
            "parent_id",
            "title",
            "title_cy",
            "description",
            "source",
            "owner",
            "ward_id",
            "status",
            "progress",
            "weight",
            "due",
            "published",
        )
    )


def test_a_new_plan_with_a_parent_by_reference(council: Council) -> None:
    WardFactory(council=council, name="Riverside")
    text = (
        f"{HEADER}\n"
        "SAFE,,Make the town centre safer to walk,,,,,Community safety,,,,,2027-12-31,yes\n"
        "LIGHT,SAFE,Brighter street lights,,,,,Highways,Riverside,in_progress,50,3,,yes\n"
        "CROSS,SAFE,New crossing on Station Road,,,,,Highways,riverside,done,100,1,,yes\n"
    )
    assert _import(council, text) == 3
    parent = Commitment.objects.get(title__startswith="Make the town")
    assert (parent.progress, parent.status) == (63, "in_progress")  # (150 + 100) / 4 = 62.5
    assert parent.children.count() == 2
    event = AuditEvent.objects.get(action="core.commitments_imported")
    assert event.detail == {"rows": 3, "created": 3, "changed": 0}


@pytest.mark.parametrize(
    ("line", "where", "says"),
    [
        ("X,,,,,,,,,,,,,", "line 2, column 'title'", "title is empty"),
        ("X,,T,,,,,,Nowhere,,,,,", "column 'ward'", "There is no ward called 'Nowhere'"),
        ("X,,T,,,,,,,soon,,,,", "column 'status'", "status must be one of"),
        ("X,,T,,,,,,,,150,,,", "column 'progress'", "from 0 to 100"),
        ("X,,T,,,,,,,,,0,,", "column 'weight'", "from 1 to 1000"),
        ("X,,T,,,,,,,,,,31/02/2027,", "column 'due'", "due must be a date"),
        ("X,,T,,,,,,,,,,,maybe", "column 'published'", "published must be yes or no"),
        ("X,,T,,,,nonsense,,,,,,,", "column 'source'", "source must be a key"),
        ("X,Y,T,,,,,,,,,,,", "column 'parent'", "parent 'Y' is not a reference"),
        ("X,X,T,,,,,,,,,,,", "column 'parent'", "cannot be its own parent"),
        ("999,,T,,,,,,,,,,,", "column 'reference'", "There is no commitment number 999"),
        ("X,,T,,,,,,,,,,,,extra", "line 2", "more cells than the first line"),
    ],
)
def test_each_problem_names_the_line_column_and_what_to_do(
    council: Council, line: str, where: str, says: str
) -> None:
    with pytest.raises(InputError) as caught:
        _import(council, f"{HEADER}\n{line}\n")
    message = str(caught.value)
    assert message.startswith("plan.csv") and where in message and says in message
    assert not Commitment.objects.exists()


def test_loops_and_duplicates_are_refused_and_nothing_is_written(council: Council) -> None:
    text = f"{HEADER}\nA,B,First,,,,,,,,,,,\nB,A,Second,,,,,,,,,,,\nA,,Again,,,,,,,,,,,\n"
    with pytest.raises(InputError) as caught:
        _import(council, text)
    message = str(caught.value)
    assert "go round in a loop" in message and "is also on line 2" in message
    assert not Commitment.objects.exists()


def test_a_loop_through_an_existing_commitment_rolls_everything_back(council: Council) -> None:
    top = commitments.save_commitment(Commitment(council=council, title="Top"), by=None)
    low = commitments.save_commitment(Commitment(council=council, title="Low", parent=top), by=None)
    before = _state(council)
    text = f"{HEADER}\n{top.pk},{low.pk},Top renamed,,,,,,,,,,,\nNEW,,Brand new,,,,,,,,,,,\n"
    with pytest.raises(InputError) as caught:
        _import(council, text)
    assert "line 2, column 'parent'" in str(caught.value)
    assert _state(council) == before


def test_export_then_import_gives_the_same_commitments(council: Council) -> None:
    WardFactory(council=council, name="Abbey")
    text = (
        f"{HEADER}\n"
        'P,,"=HYPERLINK(""http://x"")",Cy,"Two\nlines",,ward:1,Parks,Abbey,,,,2027-01-05,yes\n'
        "C1,P,Child one,,,,,,,delayed,20,2,,yes\n"
        "C2,P,Child two,,,,,,,planned,0,1,,no\n"
    )
    _import(council, text.replace("ward:1", f"ward:{council.wards.get().pk}"))
    exported = commitment_csv.write(commitment_csv.export_rows(council))
    assert "'=HYPERLINK" in exported  # formula-safe
    before = _state(council)
    for c in Commitment.objects.all():  # officers change things...
        c.title, c.published = "changed", True
        commitments.save_commitment(c, by=None)
    _import(council, exported)  # ...and the file brings them back
    assert _state(council) == before
    assert commitment_csv.write(commitment_csv.export_rows(council)) == exported


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(
            st.one_of(cells, st.sampled_from(["", "1", "X", "done", "yes"])),
            min_size=0,
            max_size=16,
        ),
        max_size=5,
    ),
    header=st.booleans(),
)
def test_fuzz_never_a_500_never_half_written(
    council: Council, rows: list[list[str]], header: bool
) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(commitment_csv.COLUMNS)
    writer.writerows(rows)
    before = _state(council)
    try:
        count = _import(council, out.getvalue())
    except InputError as exc:
        assert exc.problems  # says where and why
        assert _state(council) == before
    else:
        assert before == [] and len(_state(council)) == count >= 1  # all new, all written
    Commitment.objects.all().delete()


def test_the_page_lists_every_problem_and_the_export_is_audited(
    council: Council, client_as: Callable[[str | None], Client]
) -> None:
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("listening:staff-commitments-csv")
    bad = SimpleUploadedFile("plan.csv", f"{HEADER}\nX,,,,,,,,,,,,,\n".encode(), "text/csv")
    page = officer.post(url, {"file": bad}, **HOST).text
    assert "There is a problem" in page and "line 2, column" in page and "title is empty" in page
    good = SimpleUploadedFile("plan.csv", f"{HEADER}\nX,,Fix the lifts,,,,,,,,,,,\n".encode())
    assert officer.post(url, {"file": good}, **HOST).status_code == 302
    exported = officer.get(reverse("listening:staff-commitments-export"), **HOST)
    assert exported["Content-Type"].startswith("text/csv") and "Fix the lifts" in exported.text
    assert AuditEvent.objects.filter(action="core.commitments_exported").exists()


def test_signed_out_people_cannot_export(council: Council, make_user: Callable[..., User]) -> None:
    response = Client().get(reverse("listening:staff-commitments-export"), **HOST)
    assert response.status_code == 302


def test_the_export_is_never_kept_by_a_cache(
    council: Council, client_as: Callable[[str | None], Client]
) -> None:
    """It holds unpublished commitments: like every staff download, no-store."""
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    exported = officer.get(reverse("listening:staff-commitments-export"), **HOST)
    assert exported.status_code == 200 and exported["Cache-Control"] == "no-store"
