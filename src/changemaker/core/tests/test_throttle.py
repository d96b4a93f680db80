"""Throttles on anonymous writes: the client's address, exact counting, windows, the 429 page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from changemaker.core import throttle
from changemaker.core.models import AuditEvent, Council, ThrottleCount, User
from changemaker.core.net import client_ip

HOST = {"HTTP_HOST": "exampleton.test"}


def _request(remote: str = "203.0.113.9", forwarded: str | None = None) -> object:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_no_address_is_unknown_for_throttles_and_none_for_axes() -> None:
    from django.http import HttpRequest

    from changemaker.core.net import axes_client_ip

    bare = HttpRequest()  # what the test client's force_login signs in with
    assert client_ip(bare) == "unknown"
    assert axes_client_ip(bare) is None  # PostgreSQL's inet column refuses "unknown"
    assert axes_client_ip(_request()) == "203.0.113.9"  # type: ignore[arg-type]


def test_client_ip_trusts_no_header_by_default() -> None:
    assert client_ip(_request(forwarded="198.51.100.1")) == "203.0.113.9"  # type: ignore[arg-type]


@override_settings(CHANGEMAKER_TRUSTED_PROXY_COUNT=1)
def test_client_ip_behind_one_trusted_proxy() -> None:
    # the proxy appended the client's address; what the client wrote before it is ignored
    spoofed = "10.0.0.1, 198.51.100.7"
    assert client_ip(_request("192.0.2.1", spoofed)) == "198.51.100.7"  # type: ignore[arg-type]
    assert client_ip(_request("192.0.2.1")) == "192.0.2.1"  # type: ignore[arg-type]
    assert client_ip(_request("192.0.2.1", "not-an-address")) == "192.0.2.1"  # type: ignore[arg-type]
    assert client_ip(_request("192.0.2.1", " 2001:db8::1 ")) == "2001:db8::1"  # type: ignore[arg-type]


@override_settings(CHANGEMAKER_TRUSTED_PROXY_COUNT=2)
def test_client_ip_behind_two_trusted_proxies() -> None:
    forwarded = "10.9.9.9, 198.51.100.7, 192.0.2.50"
    assert client_ip(_request("192.0.2.1", forwarded)) == "198.51.100.7"  # type: ignore[arg-type]
    assert client_ip(_request("192.0.2.1", "192.0.2.50")) == "192.0.2.1"  # type: ignore[arg-type]


@pytest.mark.django_db
@override_settings(CHANGEMAKER_THROTTLES={"account.register": "3/hour"})
def test_counting_windows_and_audit(council: Council) -> None:
    for _ in range(3):
        throttle.hit("account.register", "198.51.100.7", council=council)
    with pytest.raises(throttle.Throttled) as refused:
        throttle.hit("account.register", "198.51.100.7", council=council)
    assert 3500 < refused.value.retry_after <= 3600
    with pytest.raises(throttle.Throttled):
        throttle.hit("account.register", "198.51.100.7", council=council)
    throttle.hit("account.register", "198.51.100.8", council=council)  # another address
    events = AuditEvent.objects.filter(action="throttle.limited")
    assert events.count() == 1  # once per window, not once per refusal
    assert "198.51.100" not in str(events.get().detail)
    assert not ThrottleCount.objects.filter(key__contains="198.51").exists()  # hashed
    # when the window has run out, counting starts again
    ThrottleCount.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for _ in range(3):
        throttle.hit("account.register", "198.51.100.7", council=council)
    with pytest.raises(throttle.Throttled):
        throttle.hit("account.register", "198.51.100.7", council=council)
    assert AuditEvent.objects.filter(action="throttle.limited").count() == 2


@pytest.mark.django_db
@override_settings(CHANGEMAKER_THROTTLES={"account.register": "2/hour"})
def test_registration_flood_gets_the_429_page(council: Council) -> None:
    client = Client()
    answers = {"name": "Ada", "password": "a-long-unusual-phrase"}
    for n in range(2):
        response = client.post(
            reverse("core:register"), {**answers, "email": f"ada{n}@example.org"}, **HOST
        )
        assert response.status_code == 302
    response = client.post(
        reverse("core:register"), {**answers, "email": "ada9@example.org"}, **HOST
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Too many requests from your connection" in page and "Try again in 60 minutes" in page
    assert "govuk-heading-xl" in page
    assert not User.objects.filter(email="ada9@example.org").exists()


@pytest.mark.django_db
@override_settings(CHANGEMAKER_THROTTLES={"consultation.vote": "3/hour"})
def test_a_row_another_request_creates_mid_hit_is_counted_not_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two first hits at once: this one's UPDATE runs before the other's new row is committed,
    its read after. Under the limit, so it counts again instead of refusing (the load test
    caught a refusal at count 2 of 20)."""
    from django.db.models import QuerySet

    original = QuerySet.update
    interleaved: list[bool] = []

    def update(self: QuerySet, **kwargs: object) -> int:
        changed = original(self, **kwargs)
        if self.model is ThrottleCount and "refused" not in kwargs and not interleaved:
            interleaved.append(True)  # the other request's row lands now
            ThrottleCount.objects.create(
                key=throttle._key("consultation.vote", ("p1",)),
                count=1,
                expires_at=timezone.now() + timedelta(hours=1),
            )
        return changed

    monkeypatch.setattr(QuerySet, "update", update)
    throttle.hit("consultation.vote", "p1")
    assert interleaved
    assert ThrottleCount.objects.get().count == 2
