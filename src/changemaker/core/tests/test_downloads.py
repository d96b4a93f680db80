"""core.views.downloads.csv_download: every CSV a person downloads is formula-safe, named,
UTF-8 and (unless it is public open data) never kept by a cache."""

from __future__ import annotations

import csv
import io

from changemaker.core.views.downloads import csv_download


def test_a_download_is_formula_safe_named_and_not_cached() -> None:
    response = csv_download("plan.csv", [["title", "owner"], ["=HYPERLINK(1)", "-3"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="plan.csv"'
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["title", "owner"], ["'=HYPERLINK(1)", "-3"]]


def test_public_open_data_may_be_cached_by_the_api() -> None:
    response = csv_download("wards.csv", [["name"]], private=False)
    assert not response.has_header("Cache-Control")
