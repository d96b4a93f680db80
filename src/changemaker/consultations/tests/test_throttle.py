"""Finding 6: cookie-less votes from one address made a new participant each. New anonymous
participants are limited per address and consultation, votes per participant; a household
sharing one address takes part normally."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client, override_settings
from django.urls import reverse

from changemaker.consultations.models import Consultation, Vote

HOST = {"HTTP_HOST": "exampleton.test"}


def _vote(client: Client, c: Consultation, number: int, value: str = "agree", **extra: str) -> int:
    url = reverse("consultations:vote", args=[c.slug])
    response = client.post(url, {"statement": number, "vote": value}, **HOST, **extra)
    return response.status_code


def test_cookieless_flood_from_one_address_is_refused(
    make_consultation: Callable[..., Consultation],
) -> None:
    c = make_consultation()
    client = Client()
    codes = []
    for _ in range(30):
        client.cookies.clear()  # a script that throws its cookie away every time
        codes.append(_vote(client, c, 0))
    assert codes == [302] * 20 + [429] * 10  # the default: 20 new participants an hour
    assert c.participants.count() == 20
    assert Vote.objects.filter(statement__consultation=c).count() == 20
    # another consultation is counted on its own
    other = make_consultation()
    client.cookies.clear()
    assert _vote(client, other, 0) == 302


def test_a_household_sharing_one_address_takes_part(
    make_consultation: Callable[..., Consultation],
) -> None:
    c = make_consultation(seeds=[f"Statement {n}" for n in range(12)])
    household = [Client() for _ in range(6)]
    for person in household:
        for number in range(12):
            assert _vote(person, c, number, "agree" if number % 2 else "disagree") == 302
        assert _vote(person, c, 0, "pass") == 302  # a change of mind
    assert c.participants.count() == 6
    assert Vote.objects.filter(statement__consultation=c).count() == 6 * 12


@override_settings(CHANGEMAKER_THROTTLES={"consultation.vote": "5/minute"})
def test_votes_per_participant(make_consultation: Callable[..., Consultation]) -> None:
    c = make_consultation()
    client = Client()
    codes = [_vote(client, c, n % 3, ("agree", "disagree")[n % 2]) for n in range(7)]
    assert codes == [302] * 5 + [429] * 2
    assert c.participants.count() == 1
    neighbour = Client()
    assert _vote(neighbour, c, 0) == 302  # counted per participant, not per address


@override_settings(
    CHANGEMAKER_TRUSTED_PROXY_COUNT=1,
    CHANGEMAKER_THROTTLES={"consultation.new_participant": "2/hour"},
)
def test_behind_a_proxy_each_client_is_counted(
    make_consultation: Callable[..., Consultation],
) -> None:
    c = make_consultation()
    client = Client()
    codes = {}
    for address in ("198.51.100.1", "198.51.100.2"):
        codes[address] = []
        for _ in range(3):
            client.cookies.clear()
            forwarded = f"10.1.1.1, {address}"  # the first entry is the client's own claim
            codes[address].append(_vote(client, c, 0, HTTP_X_FORWARDED_FOR=forwarded))
    assert codes == {a: [302, 302, 429] for a in codes}
