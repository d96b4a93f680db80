"""Gunicorn's settings: ``gunicorn -c python:changemaker.gunicorn_conf changemaker.wsgi``
(what ``make serve`` runs). Anything here can be overridden on the command line.

Nothing personal in the logs: gunicorn's error and access logs pass through the same filter as
Django's (``changemaker.core.logging.RedactPersonalData``), and the access log names neither the
query string (search terms, e-mail addresses in links) nor the client's address.

From the environment: ``WEB_CONCURRENCY`` (worker processes; default two per core, plus one),
``FORWARDED_ALLOW_IPS`` (gunicorn's own: the proxies trusted for ``X-Forwarded-Proto``; default
127.0.0.1, a proxy on the same machine) and ``LOG_LEVEL`` (as for Django; default INFO).
"""

from __future__ import annotations

import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
# No runtime control socket (~/.gunicorn/gunicorn.ctl): nothing here uses it, and two servers of
# one user (a smoke test beside a real one) would share its path. Signals still work (HUP, TERM).
control_socket_disable = True
# method, path without the query string, protocol, status, bytes sent, time taken
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "changemaker.core.logging.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        # gunicorn's defaults: access log on standard output, everything else on standard error
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
            "stream": "ext://sys.stdout",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": _LEVEL, "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": _LEVEL, "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
