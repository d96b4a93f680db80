"""Test-only: the worker subprocess of ``test_data_runs_killed_worker`` loads this app, whose
linkage run gets stuck reading the records (as if in one long call), so that the test can kill
the worker in the middle of a real "insight.link" job. Used through ``worker_settings``."""

from __future__ import annotations

import threading

from django.apps import AppConfig


class StuckLinkageConfig(AppConfig):
    name = "changemaker.insight.tests.stuck_linkage"
    label = "tests_stuck_linkage"

    def ready(self) -> None:
        from changemaker.insight.adapter import linkage

        def stuck(council_id: int) -> object:
            threading.Event().wait()  # never returns: only SIGKILL ends it
            raise AssertionError("unreachable")

        linkage._frame = stuck  # type: ignore[assignment]
