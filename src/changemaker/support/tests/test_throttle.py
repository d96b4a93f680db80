"""Finding 6: twenty help requests in seconds from one address were all accepted."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client, override_settings
from django.urls import reverse

from changemaker.core.models import Council, Role, User
from changemaker.support.models import HelpRequest
from changemaker.support.tests.conftest import HOST, next_weekday


def _ask(client: Client, n: int, **extra: str) -> int:
    answers = {
        "needs": ["shopping"],
        "needed_on": next_weekday(0).strftime("%d/%m/%Y"),
        "name": f"Person {n}",
        "phone": "01632 960444",
        "address": "9 Park Road",
        "postcode": "EX6 1AB",
    }
    client.post(reverse("support:ask"), answers, **HOST, **extra)
    return client.post(reverse("support:ask-check"), **HOST, **extra).status_code


def test_help_request_flood_from_one_address(area: Council) -> None:
    client = Client()
    codes = [_ask(client, n) for n in range(12)]
    assert codes == [200] * 10 + [429] * 2  # the default: 10 an hour per address
    assert HelpRequest.objects.count() == 10
    assert _ask(Client(), 99, REMOTE_ADDR="198.51.100.20") == 200  # another address


@override_settings(CHANGEMAKER_THROTTLES={"support.help_request": "2/hour"})
def test_signed_in_residents_are_counted_per_account(
    area: Council, make_user: Callable[..., User]
) -> None:
    first, second = Client(), Client()
    first.force_login(make_user(Role.RESIDENT))
    second.force_login(make_user(Role.RESIDENT))
    assert [_ask(first, n) for n in range(3)] == [302, 302, 429]
    assert _ask(second, 9) == 302  # same address, another account
    assert HelpRequest.objects.count() == 3
