"""Nothing personal in the logs."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

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
        ("AXES: locked out from 198.51.100.23.", "198.51.100.23"),
        ("client 2001:db8::7 blocked", "2001:db8::7"),
        ("from ::ffff:192.0.2.1", "192.0.2.1"),
    ],
)
def test_redact_removes_personal_data(text: str, leak: str) -> None:
    assert leak not in redact(text)


def test_redact_keeps_what_is_not_an_address() -> None:
    text = "job 3 at 12:30:45 took 1.5 s, version 6.1.3, ratio 2:1"
    assert redact(text) == text


def test_filter_redacts_a_logged_traceback() -> None:
    try:
        raise ValueError("no account for ada.lovelace@example.org at 203.0.113.9")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    RedactPersonalData().filter(record)
    line = logging.Formatter().format(record)
    assert "ValueError" in line and "[email]" in line and "[ip]" in line
    assert "ada.lovelace" not in line and "203.0.113.9" not in line


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


# The servers' request logs: a query string may carry personal data (a link with an address).
ROOT = Path(__file__).resolve().parents[4]
LEAK = "someone@example.com"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request_log(command: list[str], port: int, path: str, env: dict[str, str], tmp: Path) -> str:
    """Start a server, send one request, stop it: everything it wrote (stdout and stderr)."""
    out = tmp / "server.log"
    full = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    full.update(env)
    with out.open("wb") as sink:
        server = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=full, cwd=ROOT
        )
        try:
            for _ in range(600):  # until it listens (at most a minute on a busy machine)
                assert server.poll() is None, out.read_text()
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            with contextlib.suppress(urllib.error.HTTPError):  # a 404 is logged too
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).close()
            # the server logs a request after answering it: wait for its line (at most 30 s)
            for _ in range(300):
                if path.split("?", 1)[0] in out.read_text():
                    break
                time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return out.read_text()


def test_runserver_request_lines_are_redacted(tmp_path: Path) -> None:
    port = _free_port()
    log = _request_log(
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        port,
        f"/static/no-such-file.css?email={LEAK}",  # a 404: runserver logs it as a warning
        {"DJANGO_SETTINGS_MODULE": "changemaker.settings.dev", "CHANGEMAKER_VAR": str(tmp_path)},
        tmp_path,
    )
    assert "GET /static/no-such-file.css?[query]" in log, log  # logged, through the filter
    assert "someone" not in log, log


def test_gunicorn_access_log_is_redacted(tmp_path: Path) -> None:
    port = _free_port()
    log = _request_log(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:changemaker.gunicorn_conf",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "changemaker.core.tests.wsgi_hello:application",
        ],
        port,
        f"/?email={LEAK}",
        {},
        tmp_path,
    )
    assert '"GET / HTTP/1.1" 200' in log, log  # the access log is on
    assert "someone" not in log and "127.0.0.1 " not in log, log
    assert "Control socket" not in log  # no runtime control socket (see gunicorn_conf)
