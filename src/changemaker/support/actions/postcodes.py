"""The postcode table: centres and wards from the ONS Postcode Directory (or the demo's)."""

from __future__ import annotations

from collections.abc import Iterable

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.support.models import Postcode


@action("support.postcodes.imported")
def import_postcodes(rows: Iterable[tuple[str, float, float, str]], *, source: str) -> int:
    """Insert or update postcode centres; all or nothing. Returns how many were written."""
    batch = [Postcode(postcode=p, lat=lat, lon=lon, ward_code=w) for p, lat, lon, w in rows]
    Postcode.objects.bulk_create(
        batch,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["lat", "lon", "ward_code"],
    )
    audit.record("support.postcodes.imported", count=len(batch), source=source)
    return len(batch)
