"""Nothing personal in the logs."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from changemaker.core.logging import RedactPersonalData, redact


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        ("user ada.lovelace@example.org failed", "ada.lovelace@example.org"),
        ("NINO AB 12 34 56 C seen", "AB 12 34 56 C"),
        ("lives at EX1 1AA", "EX1 1AA"),
        ("call 01632 960123", "01632 960123"),
        ("GET /search?name=Ada+Lovelace", "Ada+Lovelace"),
    ],
)
def test_redact_removes_personal_data(text: str, leak: str) -> None:
    assert leak not in redact(text)


def test_filter_rewrites_records() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "login by %s", ("a@b.org",), None)
    RedactPersonalData().filter(record)
    assert record.getMessage() == "login by [email]"


def test_failed_sign_in_logs_no_email(
    client: Client, council: object, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        client.post("/sign-in/", {"email": "secret.person@example.org", "password": "wrong"})
    assert "secret.person" not in caplog.text
