"""Test-only settings of the worker subprocess of ``test_data_runs_killed_worker``: the test
settings (the database comes from DATABASE_URL: the test database) plus the stuck linkage."""

from changemaker.settings.test import *  # noqa: F403
from changemaker.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "changemaker.insight.tests.stuck_linkage.StuckLinkageConfig"]
