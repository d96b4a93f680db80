"""Database <-> the engine's gazetteer reader: check a kept gazetteer file and import it all
or nothing, as ``GazetteerAddress`` rows (the "insight.gazetteer" job)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.insight.actions.common import DataError
from changemaker.insight.models import Gazetteer, GazetteerAddress


def import_gazetteer(gazetteer: Gazetteer) -> Gazetteer:
    """Check the kept file and import it all or nothing: every address, or (any bad line)
    none, with each problem's line, column, field and reason kept for the data officer. An
    imported gazetteer becomes the council's current one, in one transaction."""
    from changemaker.insight.engine.addresses import GazetteerFileError, check_gazetteer

    gazetteer = Gazetteer.objects.get(pk=gazetteer.pk)
    if gazetteer.status != Gazetteer.Status.CHECKING:
        raise DataError(_("This gazetteer has already been checked"))
    council = gazetteer.council
    try:
        frame = check_gazetteer(bytes(gazetteer.source), source=_("the gazetteer"))
    except GazetteerFileError as exc:
        with transaction.atomic():
            gazetteer.status = Gazetteer.Status.REFUSED
            gazetteer.problems = [
                {"line": p.line, "column": p.column, "field": p.field, "reason": p.reason}
                for p in exc.problems[:1000]
            ]
            gazetteer.source = b""
            gazetteer.save(update_fields=["status", "problems", "source"])
            audit.record(
                "insight.gazetteer.refused",
                council=council,
                obj=gazetteer,
                problems=len(exc.problems),
            )
        return gazetteer
    with transaction.atomic():
        locked = Gazetteer.objects.select_for_update().get(pk=gazetteer.pk)
        GazetteerAddress.objects.bulk_create(
            (
                GazetteerAddress(
                    gazetteer=locked,
                    uprn=row.uprn,
                    sao=row.sao or "",
                    pao=row.pao,
                    street=row.street,
                    town=row.town or "",
                    postcode=row.postcode or "",
                )
                for row in frame.itertuples(index=False)
            ),
            batch_size=2000,
        )
        Gazetteer.objects.filter(council=council, current=True).update(current=False)
        # the replaced gazetteers' addresses are no longer used: only their summaries stay
        GazetteerAddress.objects.filter(gazetteer__council=council).exclude(
            gazetteer=locked
        ).delete()
        locked.status = Gazetteer.Status.IMPORTED
        locked.current = True
        locked.entries = len(frame)
        locked.source = b""
        locked.save(update_fields=["status", "current", "entries", "source"])
        audit.record("insight.gazetteer.imported", council=council, obj=locked, entries=len(frame))
    return locked
