"""Database <-> the engine's importers: check an uploaded file row by row, and stage its
accepted rows on the upload (or refuse it with the reason), in one transaction at the end.

A refused file keeps nothing but the reason (names lines and columns, never values); rows
that cannot be imported are kept aside with theirs (``QuarantinedRow``) for the officer to fix.
Publishing the staged rows is an action (``actions.publish_upload``).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.models import User
from changemaker.insight.actions.common import MAPPED_FIELDS, DataError, _refuse_unless_in_force
from changemaker.insight.models import Dataset, QuarantinedRow, Upload


@dataclass(frozen=True)
class _Parsed:
    rows: list[dict[str, Any]]  # accepted: person fields + "attributes"
    quarantine: list[tuple[int, str, dict[str, Any]]]  # line, reason, values (personal)
    field_problems: list[dict[str, Any]]  # line, field, reason of values treated as missing


def engine_mapping(dataset: Dataset) -> Any:
    """The dataset's column mapping as the engine's importers take it (DataError if unusable)."""
    from changemaker.insight.engine.importers import ColumnMapping, ImportFileError

    if not dataset.column_mapping.get("record_id"):
        raise DataError(_("Set up the column mapping first: say which column holds each field"))
    try:
        return ColumnMapping(dict(dataset.column_mapping), dataset.code)
    except ImportFileError as exc:  # a mapping naming fields the engine no longer knows
        raise DataError(_("The column mapping cannot be used: %(why)s") % {"why": exc}) from None


def _kept_from_csv(raw: bytes, names: Sequence[str], quarantined: set[int]) -> list[list[str]]:
    """The kept (attribute) columns of every row the importer accepted, in order."""
    from changemaker.insight.engine.importers import _csv_rows  # numbered as the importer does

    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode("utf-8", errors="replace")
    rows = ((line, row) for line, row, _error in _csv_rows(text))
    _line, header = next(rows)
    header = [h.strip() for h in header or []]
    missing = [n for n in names if n not in header]
    if missing:
        raise DataError(
            _(
                "The file has no column named %(names)s, which the mapping keeps. Check the "
                "file is the right one, or change the column mapping."
            )
            % {"names": ", ".join(repr(m) for m in missing)}
        )
    positions = [header.index(n) for n in names]
    kept = []
    for line, row in rows:
        if row is None or line in quarantined or not any(c.strip() for c in row):
            continue
        kept.append([row[p].strip() for p in positions])
    return kept


def _kept_from_parquet(path: Path, names: Sequence[str], quarantined: set[int]) -> list[list[str]]:
    import pandas as pd

    frame = pd.read_parquet(path)
    header = [str(c) for c in frame.columns]
    missing = [n for n in names if n not in header]
    if missing:
        raise DataError(
            _("The file has no column named %(names)s, which the mapping keeps.")
            % {"names": ", ".join(repr(m) for m in missing)}
        )
    kept = []
    for index in range(len(frame)):
        if index + 1 in quarantined:
            continue
        kept.append(["" if pd.isna(v) else str(v).strip() for v in frame.iloc[index][list(names)]])
    return kept


def parse_upload(dataset: Dataset, name: str, stream: IO[bytes]) -> _Parsed:
    """Validate a file with the engine's importers. Raises DataError (nothing kept) when the
    whole file is refused: wrong columns, broken encoding, not CSV or Parquet."""
    from changemaker.insight.engine.importers import ImportFileError, import_csv_bytes, import_file

    mapping = engine_mapping(dataset)
    names = list(dataset.attribute_columns)
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".csv":
            raw = stream.read()
            result = import_csv_bytes(raw, mapping, source=_("the file"))
            quarantined = {q.line for q in result.quarantine}
            kept = _kept_from_csv(raw, names, quarantined)
        elif suffix in (".parquet", ".pq"):
            with tempfile.NamedTemporaryFile(suffix=".parquet") as handle:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    handle.write(chunk)
                handle.flush()
                path = Path(handle.name)
                result = import_file(path, mapping)
                quarantined = {q.line for q in result.quarantine}
                kept = _kept_from_parquet(path, names, quarantined)
        else:
            raise DataError(_("The file must be a CSV (.csv) or Parquet (.parquet) file"))
    except ImportFileError as exc:
        raise DataError(_file_message(str(exc))) from None
    records = result.records
    if len(kept) != len(records):
        raise DataError(_("The file could not be read consistently. Save it again as UTF-8 CSV."))
    rows = []
    for values, extra in zip(records.itertuples(index=False), kept, strict=True):
        row = {f: (getattr(values, f, None) or "") for f in MAPPED_FIELDS}
        row["attributes"] = {n: v for n, v in zip(names, extra, strict=True) if v}
        rows.append(row)
    quarantine = [(q.line, q.reason, dict(q.values)) for q in result.quarantine]
    return _Parsed(rows, quarantine, [p.as_dict() for p in result.field_problems])


def _file_message(detail: str) -> str:
    """The importer's reason (names columns, never values) with what to do about it."""
    detail = detail.removeprefix(_("the file") + ": ")
    if "UTF-8" in detail:
        return _(
            "The file is not in UTF-8 (%(detail)s). Save it again as 'CSV UTF-8' and upload it."
        ) % {"detail": detail}
    if "missing" in detail:
        return _(
            "The file does not have the columns the mapping expects (%(detail)s). Check it is "
            "the right file, or change the column mapping."
        ) % {"detail": detail}
    return _("The file cannot be imported: %(detail)s.") % {"detail": detail}


def validate_upload(dataset: Dataset, *, by: User | None, name: str, stream: IO[bytes]) -> Upload:
    """Check a file and stage its accepted rows for publishing, at once (the demo, tests and
    the command line; pages use ``receive_upload``). A refused file raises DataError after
    an audited REFUSED upload (no rows kept)."""
    _refuse_unless_in_force(dataset)
    upload = Upload(dataset=dataset, uploaded_by=by)
    try:
        parsed = parse_upload(dataset, name, stream)
    except DataError as exc:
        _refuse(upload, str(exc))
        raise
    return _stage(upload, parsed)


def check_upload(upload: Upload) -> Upload:
    """The "insight.upload.check" job's work: check the kept file and stage its accepted rows
    (or refuse it with the reason), in one transaction at the end."""
    upload = Upload.objects.select_related("dataset__agreement", "dataset__council").get(
        pk=upload.pk
    )
    if upload.status != Upload.Status.RECEIVED:
        raise DataError(_("This upload has already been checked"))
    try:
        _refuse_unless_in_force(upload.dataset)
        name = f"upload.{upload.file_type}"
        parsed = parse_upload(upload.dataset, name, io.BytesIO(bytes(upload.raw)))
    except DataError as exc:
        _refuse(upload, str(exc))
        raise
    return _stage(upload, parsed)


def _refuse(upload: Upload, reason: str) -> None:
    """Record a refused upload with the reason (names lines and columns, never values)."""
    with transaction.atomic():
        upload.status = Upload.Status.REFUSED
        upload.raw = b""
        upload.report = {"error": reason}
        upload.save()
        audit.record(
            "insight.upload.refused",
            actor=upload.uploaded_by,
            council=upload.dataset.council,
            obj=upload,
        )


def _stage(upload: Upload, parsed: _Parsed) -> Upload:
    """Stage a checked file's accepted rows and keep its quarantined rows, in one go."""
    with transaction.atomic():
        upload.status = Upload.Status.VALIDATED
        upload.raw = b""
        upload.rows_read = len(parsed.rows) + len(parsed.quarantine)
        upload.rows_accepted = len(parsed.rows)
        upload.rows_quarantined = len(parsed.quarantine)
        upload.report = {
            "quarantined": [{"line": q[0], "reason": q[1]} for q in parsed.quarantine],
            "field_problems": parsed.field_problems,  # where and why, never the values
        }
        upload.staged = parsed.rows
        upload.save()
        QuarantinedRow.objects.bulk_create(
            [
                QuarantinedRow(upload=upload, line=q[0], reason=q[1][:300], raw=q[2])
                for q in parsed.quarantine
            ],
            batch_size=1000,
        )
        audit.record(
            "insight.upload.validated",
            actor=upload.uploaded_by,
            council=upload.dataset.council,
            obj=upload,
            rows_read=upload.rows_read,
            accepted=upload.rows_accepted,
            quarantined=upload.rows_quarantined,
            values_treated_as_missing=len(parsed.field_problems),
        )
    return upload
