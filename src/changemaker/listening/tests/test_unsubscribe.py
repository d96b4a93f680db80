"""One-click unsubscribe: an opaque signed token, works signed out, without a form token
(RFC 8058's POST from a mail program), audited without personal data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from changemaker.core.models import AuditEvent, Council, Notice, User
from changemaker.listening import adapter
from changemaker.listening.models import Notification, Preference

from .conftest import HOST

pytestmark = pytest.mark.django_db


def _emailed_link(person: User, notice: Callable[..., Notice]) -> str:
    notice(recipients=[person.pk])
    adapter.dispatch_waiting()
    adapter.send_due()
    header = mail.outbox[-1].extra_headers["List-Unsubscribe"]
    return header.strip("<>").removeprefix("https://exampleton.test")


def test_the_token_is_opaque(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    person = make_user()
    link = _emailed_link(person, notice)
    token = link.rstrip("/").rpartition("/")[2]
    for personal in [person.email, person.email.split("@")[0], person.name]:
        assert personal.lower() not in link.lower()
    # the signed value is the random key alone: no id, no address, nothing to decode
    value, _sep, _signature = token.partition(":")
    assert value == Preference.objects.get(user=person).key
    assert len(value) >= 32


def test_one_click_post_works_signed_out_and_without_a_form_token(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    person = make_user()
    link = _emailed_link(person, notice)
    notice(recipients=[person.pk])  # waiting when they unsubscribe: not sent
    adapter.dispatch_waiting()

    client = Client(enforce_csrf_checks=True)
    response = client.post(link, {"List-Unsubscribe": "One-Click"}, **HOST)

    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    assert Preference.objects.get(user=person).emails is False
    assert adapter.send_due()["sent"] == 0
    assert Notification.objects.filter(status="not_emailed").count() == 1
    event = AuditEvent.objects.get(action="listening.unsubscribed")
    assert event.detail == {"already": False}
    assert person.email not in str(event.detail)
    # later notices are listed, not emailed
    notice(recipients=[person.pk])
    adapter.dispatch_waiting()
    assert adapter.send_due()["sent"] == 0
    assert len(mail.outbox) == 1


def test_the_link_shows_a_confirm_page_without_signing_in(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    link = _emailed_link(make_user(), notice)
    response = Client().get(link, **HOST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop emails from us" in page
    assert '<form method="post"' in page  # a plain form: no JavaScript needed
    assert Preference.objects.get().emails is True  # a GET changes nothing (link scanners)


@pytest.mark.parametrize("token", ["nonsense", "abc:def", "x" * 80])
def test_a_forged_or_broken_token_is_refused_clearly(council: Council, token: str) -> None:
    response = Client().post(f"/notifications/unsubscribe/{token}/", **HOST)
    assert response.status_code == 404
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert not AuditEvent.objects.filter(action="listening.unsubscribed").exists()


def test_a_token_signed_for_something_else_is_refused(
    council: Council, make_user: Callable[..., User]
) -> None:
    from django.core import signing

    pref = Preference.objects.create(user=make_user())
    forged = signing.Signer(salt="another.purpose").sign(pref.key)
    response = Client().post(f"/notifications/unsubscribe/{forged}/", **HOST)
    assert response.status_code == 404
    assert Preference.objects.get().emails is True


def test_turning_emails_back_on(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    from changemaker.core.tests.factories import sign_in

    person = make_user()
    link = _emailed_link(person, notice)
    Client().post(link, **HOST)
    client = sign_in(Client(), person)
    response = client.post(
        "/notifications/choices/",
        {"emails": "yes", **{f"kind_{k}": "at_once" for k in _kinds()}},
        **HOST,
    )
    assert response.status_code == 302
    assert Preference.objects.get(user=person).emails is True


def _kinds() -> list[str]:
    from changemaker.listening import selectors

    return [kind.replace(".", "__") for kind, _label in selectors.direct_kinds()]


def test_the_headers_are_plain_links_in_the_sent_message(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    """As the mail server gets them: not folded into encoded words (=?utf-8?q?...?=), which
    mail programs do not read as a link."""
    link = _emailed_link(make_user(), notice)
    raw = mail.outbox[-1].message().as_bytes().decode()
    assert f"List-Unsubscribe: <https://exampleton.test{link}>\n" in raw
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n" in raw
    assert "=?utf-8?" not in raw
