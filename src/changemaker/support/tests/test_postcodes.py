"""ONS Postcode Directory import: all or nothing, errors name the file, line and column."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from changemaker.core.models import Council
from changemaker.support import selectors
from changemaker.support.errors import SupportError
from changemaker.support.models import Postcode

pytestmark = pytest.mark.django_db

HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,osward,lat,long\n"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "ONSPD_NOV_2025_UK.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_imports_live_postcodes_and_skips_terminated(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "TQ1 1AA,TQ1  1AA,TQ1 1AA,198001,,E10000008,E05011111,50.464,-3.526\n"
        "TQ1 1AB,TQ1  1AB,TQ1 1AB,198001,200012,E10000008,E05011111,50.465,-3.527\n"
        "TQ1 1AD,TQ1  1AD,TQ1 1AD,198001,,E10000008,,99.999999,0.000000\n"
        "EX1 1ZZ,EX1  1ZZ,EX1 1ZZ,198001,,E10000008,E05011112,50.7,-3.5\n",
    )
    out = StringIO()
    call_command("import_ons_postcodes", str(path), "--areas", "TQ", stdout=out)
    assert "Imported 1 postcodes (2 terminated or without a grid reference skipped)" in (
        out.getvalue()
    )
    row = Postcode.objects.get()
    assert (row.postcode, row.lat, row.lon, row.ward_code) == (
        "TQ1 1AA",
        50.464,
        -3.526,
        "E05011111",
    )
    # Running again updates in place.
    call_command("import_ons_postcodes", str(path), stdout=StringIO())
    assert Postcode.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",,NOPE,,,,E05011111,50.4,-3.5", "line 3, column pcds: 'NOPE' is not a postcode"),
        (",,TQ1 1AB,,,,E05011111,north,-3.5", "line 3, column lat: 'north' is not a number"),
        (",,TQ1 1AB,,,,E05011111,50.4,-190", "line 3, column long: -190 is not between"),
        (",,TQ1 1AB,,,,WARD,50.4,-3.5", "line 3, column osward: 'WARD' is not an ONS ward code"),
        (",,TQ1 1AB,,,,E05011111,50.4,-3.5,extra", "line 3: more values than columns"),
    ],
)
def test_bad_row_stops_everything(tmp_path: Path, row: str, message: str) -> None:
    path = _write(
        tmp_path, ",,TQ1 1AA,,,,E05011111,50.46,-3.52\n" + row.replace(",,", ",,", 1) + "\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_ons_postcodes", str(path), stdout=StringIO())
    assert f"ONSPD_NOV_2025_UK.csv, {message}" in str(caught.value)
    assert "Nothing was imported" in str(caught.value)
    assert not Postcode.objects.exists()


def test_missing_columns_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("postcode,latitude\nEX1 1AA,50\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.csv, line 1: missing column\(s\) pcds, lat, long"):
        call_command("import_ons_postcodes", str(path))
    with pytest.raises(CommandError, match=r"Cannot read nothing\.csv"):
        call_command("import_ons_postcodes", str(tmp_path / "nothing.csv"))


def test_locate_uses_the_table_then_the_ward_districts(area: Council) -> None:
    place = selectors.locate(area, "ex1 1ab")
    assert place.postcode == "EX1 1AB" and place.lat is not None
    assert place.ward is not None and place.ward.name == "Abbey"
    unknown = selectors.locate(area, "EX3 9ZZ")  # not in the table: ward from its district
    assert unknown.lat is None and unknown.ward is not None and unknown.ward.name == "Castle Hill"
    with pytest.raises(SupportError):
        selectors.locate(area, "12345")
