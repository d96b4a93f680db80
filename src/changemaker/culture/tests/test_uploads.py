"""Bad organisation charts and staff lists: an error naming the file, line and column, on the
page, and nothing half-written; fuzzed files never give a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.core.models import Role, User
from changemaker.culture import actions
from changemaker.culture.models import Invitation, OrgUnit, UnitManager, Wave
from changemaker.culture.tests.conftest import CHART, HOST, invite

pytestmark = pytest.mark.django_db


def upload_chart(client: Client, wave: Wave, text: str | bytes, name: str = "units.csv") -> str:
    data = text.encode() if isinstance(text, str) else text
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    response = client.post(
        reverse("culture:wave-chart", args=[wave.pk]), {"chart-file": upload}, **HOST
    )
    assert response.status_code in {200, 302}, response.status_code
    return "" if response.status_code == 302 else response.text


def codes(wave: Wave) -> list[str]:
    return list(OrgUnit.objects.filter(wave=wave).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (CHART + "TEAM,NOWHERE,A team\n", "units.csv, line 8, column &#x27;parent&#x27;"),
        (CHART + "OT,ADULTS,Again\n", "units.csv, line 8, column &#x27;unit&#x27;"),
        ("unit,parent\nORG,\n", "units.csv, line 1: the header must be exactly"),
        (CHART + "X,ORG\n", "units.csv, line 8: this line has 2 values"),
        (CHART + ",ORG,Nameless\n", "column &#x27;unit&#x27;: this is empty; give every unit"),
        (CHART + "X,ORG,\n", "column &#x27;name&#x27;: this is empty; give every unit a name"),
        ("unit,parent,name\n", "units.csv: the file lists no units"),
        (CHART.replace("PLACE,ORG", "PLACE,PARKS"), "column &#x27;parent&#x27;"),
    ],
)
def test_a_bad_chart_says_where_and_changes_nothing(
    text: str, where: str, make_wave: Callable[..., Wave], client_as: Callable[..., Client]
) -> None:
    wave = make_wave()
    before = codes(wave)
    page = upload_chart(client_as(Role.SURVEY_LEAD), wave, text)
    assert "There is a problem" in page and "Nothing was saved" in page
    assert where in page
    assert codes(wave) == before


def test_a_good_chart_replaces_the_last_and_is_frozen_once_open(
    make_wave: Callable[..., Wave], client_as: Callable[..., Client], lead: User
) -> None:
    wave = make_wave()
    client = client_as(Role.SURVEY_LEAD)
    assert upload_chart(client, wave, "unit,parent,name\nORG,,Council\nA,ORG,A\n") == ""
    assert codes(wave) == ["ORG", "A"]
    assert OrgUnit.objects.get(wave=wave, code="A").parent == OrgUnit.objects.get(code="ORG")
    actions.open_wave(wave, by=lead)
    page = upload_chart(client, wave, CHART)
    assert codes(wave) == ["ORG", "A"] and "frozen" not in page  # no form once open
    with pytest.raises(actions.ActionError):
        actions.upload_chart(wave, CHART, source="units.csv", by=lead)


def test_a_bad_staff_list_says_where_and_invites_nobody(
    make_wave: Callable[..., Wave], client_as: Callable[..., Client], lead: User
) -> None:
    wave = make_wave()
    actions.open_wave(wave, by=lead)
    text = "email,unit,manager\na@x.example,OT,\nnot-an-address,OT,\nb@x.example,MARS,perhaps\n"
    page = invite(client_as(Role.SURVEY_LEAD), wave, text).text
    assert "staff.csv, line 3, column &#x27;email&#x27;" in page
    assert "staff.csv, line 4, column &#x27;unit&#x27;" in page
    assert "staff.csv, line 4, column &#x27;manager&#x27;" in page
    assert "not-an-address" not in page  # addresses are not repeated back
    # Whole sentences: the value is left out, so the sentence says "this" (walk finding F9).
    page = page.replace("&#x27;", "'")
    assert "line 3, column 'email': this is not an email address, like name@example.com" in page
    assert not Invitation.objects.exists() and not UnitManager.objects.exists()
    assert mail.outbox == []


def test_a_staff_list_with_an_address_twice_says_so_in_a_whole_sentence(
    make_wave: Callable[..., Wave], client_as: Callable[..., Client], lead: User
) -> None:
    wave = make_wave()
    actions.open_wave(wave, by=lead)
    client = client_as(Role.SURVEY_LEAD)
    text = "email,unit\na@x.example,OT\nb@x.example,OT\nB@x.example,PARKS\n"
    page = invite(client, wave, text).text.replace("&#x27;", "'")
    assert "line 4, column 'email': this address is listed twice (first on line 3)" in page
    assert "b@x.example" not in page.lower()
    page = invite(client, wave, "email,unit\n").text
    assert "staff.csv: the file lists nobody; add a line for each member of staff" in page
    assert not Invitation.objects.exists()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.binary(max_size=120),
        st.text(alphabet=st.sampled_from('ORGAB,"\r\n\ufeff-: é\x00'), max_size=120),
        st.lists(
            st.tuples(
                st.sampled_from(["ORG", "A", "B", "", " A "]),
                st.sampled_from(["ORG", "A", "B", ""]),
                st.sampled_from(["x", "", "é"]),
            ),
            max_size=6,
        ).map(lambda rows: "unit,parent,name\n" + "".join(f"{u},{p},{n}\n" for u, p, n in rows)),
    )
)
def test_fuzzed_charts_never_fail_and_never_half_write(
    text: str | bytes, make_wave: Callable[..., Wave], client_as: Callable[..., Client]
) -> None:
    wave = Wave.objects.filter(name="fuzz").first() or make_wave(name="fuzz")
    before = codes(wave)
    page = upload_chart(client_as(Role.SURVEY_LEAD), wave, text)
    after = codes(wave)
    if page:  # refused: nothing changed
        assert after == before and "There is a problem" in page
    else:  # accepted: exactly the file's units, one root
        assert after and OrgUnit.objects.filter(wave=wave, parent=None).count() == 1
