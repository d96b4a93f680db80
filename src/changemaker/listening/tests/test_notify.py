"""GOV.UK Notify as the mail backend, against a fake Notify on localhost (never the real
service): the request the official client makes is checked, and a refusal is retried."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import jwt
import pytest
from django.test import override_settings

from changemaker.core.models import Council, Notice, User
from changemaker.listening import adapter
from changemaker.listening.models import Notification

pytestmark = pytest.mark.django_db

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"changemaker_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())


class FakeNotify(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []
    status = 201

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers["Authorization"].removeprefix("Bearer ")
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])  # signed with the key's secret
        FakeNotify.requests.append({"path": self.path, "claims": claims, "body": body})
        reply = (
            {"id": str(uuid.uuid4()), "content": {}, "template": {"id": TEMPLATE_ID}}
            if FakeNotify.status == 201
            else {"status_code": 400, "errors": [{"error": "BadRequestError", "message": "no"}]}
        )
        data = json.dumps(reply).encode()
        self.send_response(FakeNotify.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def fake_notify() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNotify.requests, FakeNotify.status = [], 201
    url = f"http://127.0.0.1:{server.server_port}"
    mailers = {
        "default": {
            "BACKEND": "changemaker.core.mail.NotifyEmailBackend",
            "OPTIONS": {"api_key": API_KEY, "template_id": TEMPLATE_ID, "base_url": url},
        }
    }
    with override_settings(MAILERS=mailers):
        yield url
    server.shutdown()
    server.server_close()


def test_notify_gets_the_email_with_its_one_click_unsubscribe(
    council: Council,
    make_user: Callable[..., User],
    notice: Callable[..., Notice],
    fake_notify: str,
) -> None:
    person = make_user()
    notice(recipients=[person.pk])
    adapter.dispatch_waiting()
    assert adapter.send_due()["sent"] == 1

    (request,) = FakeNotify.requests
    assert request["path"] == "/v2/notifications/email"
    assert request["claims"]["iss"] == SERVICE_ID
    body = request["body"]
    assert body["email_address"] == person.email
    assert body["template_id"] == TEMPLATE_ID
    assert body["personalisation"]["subject"] == "Results are out: What next for the park?"
    assert "/have-your-say/park/results/" in body["personalisation"]["body"]
    assert body["one_click_unsubscribe_url"].startswith(
        "https://exampleton.test/notifications/unsubscribe/"
    )
    assert Notification.objects.get().status == "sent"


def test_a_refusal_from_notify_is_retried(
    council: Council,
    make_user: Callable[..., User],
    notice: Callable[..., Notice],
    fake_notify: str,
) -> None:
    FakeNotify.status = 400
    notice(recipients=[make_user().pk])
    adapter.dispatch_waiting()
    assert adapter.send_due() == {"sent": 0, "retrying": 1, "gave_up": 0}
    notification = Notification.objects.get()
    assert notification.last_error == "HTTPError"
    assert notification.status == "waiting"


def test_settings_choose_notify_when_a_key_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import changemaker.settings.base as base

    monkeypatch.setenv("GOVUK_NOTIFY_API_KEY", API_KEY)
    monkeypatch.setenv("GOVUK_NOTIFY_TEMPLATE_ID", TEMPLATE_ID)
    try:
        reloaded = importlib.reload(base)
        default = reloaded.MAILERS["default"]
        assert default["BACKEND"] == "changemaker.core.mail.NotifyEmailBackend"
        assert default["OPTIONS"]["template_id"] == TEMPLATE_ID
    finally:
        monkeypatch.delenv("GOVUK_NOTIFY_API_KEY")
        importlib.reload(base)
    assert importlib.reload(base).MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend")
