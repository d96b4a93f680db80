"""Import a council's ward boundaries from an ONS ward boundaries GeoJSON file (a
FeatureCollection in longitude and latitude with properties like WD24CD and WD24NM; a
national file is fine: only the council's wards, matched by code, are kept). All or nothing:
any problem is reported with the feature number and property, and nothing is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from changemaker.core import actions
from changemaker.core.geo import BoundaryError
from changemaker.core.models import Council


class Command(BaseCommand):
    help = "Import ward boundaries (ONS GeoJSON) for a council's wards, matched by ward code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the GeoJSON file")
        parser.add_argument("--council", required=True, help="the council's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        council = Council.objects.filter(slug=options["council"]).first()
        if council is None:
            raise CommandError(f"No council with the slug {options['council']!r}.")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror}).") from None
        try:
            result = actions.import_ward_boundaries(council, data, file=path.name, by=None)
        except BoundaryError as error:
            raise CommandError(f"Nothing was imported.\n{error}") from None
        self.stdout.write(f"Boundaries stored for {len(result['drawn'])} ward(s).")
        if result["missing"]:
            self.stdout.write("No boundary in the file for: " + ", ".join(result["missing"]))
