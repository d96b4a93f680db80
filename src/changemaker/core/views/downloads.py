"""The one way a view answers with a CSV file to download: every cell formula-safe
(:mod:`changemaker.core.csvsafe`), UTF-8, named, and never kept by a cache unless it is public
open data (the API caches its own answers)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

from changemaker.core import csvsafe


def csv_download(
    filename: str, rows: Iterable[Iterable[Any]] | str, *, private: bool = True
) -> HttpResponse:
    """``rows`` as a CSV file called ``filename``; text given instead of rows must already
    have been written by :func:`csvsafe.writer`. ``private`` (staff downloads, a person's own
    data): ``Cache-Control: no-store``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response["Cache-Control"] = "no-store"
    if isinstance(rows, str):
        response.write(rows)
    else:
        csvsafe.writer(response).writerows(rows)
    return response
