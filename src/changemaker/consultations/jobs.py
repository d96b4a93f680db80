"""Background work of consultations: the opinion map (pages show the last one) and Polis
imports (never inside a request)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemaker.consultations import actions, adapter, selectors
from changemaker.consultations.engine import PolisFormatError
from changemaker.consultations.errors import ConsultationError
from changemaker.consultations.models import Consultation, Vote
from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job


def _count(n: int) -> str:
    """A whole number the UK way: 12,345."""
    return number_format(n, force_grouping=True)


def describe_map(result: dict[str, Any]) -> list[str]:
    """What a map run did, in words for its job page."""
    votes, groups = int(result.get("votes", 0)), int(result.get("groups", 0))
    lines = [
        ngettext("Opinion map made from %(n)s vote.", "Opinion map made from %(n)s votes.", votes)
        % {"n": _count(votes)}
    ]
    if "people" in result:
        people = int(result["people"])
        lines.append(
            ngettext("%(n)s person is in the map.", "%(n)s people are in the map.", people)
            % {"n": _count(people)}
        )
    lines.append(
        ngettext("It found %(n)s group of opinion.", "It found %(n)s groups of opinion.", groups)
        % {"n": _count(groups)}
    )
    return lines


def describe_import(result: dict[str, Any]) -> list[str]:
    """What a Polis import did, in words for its job page (its warnings are listed apart)."""
    statements = int(result.get("statements", 0))
    people = int(result.get("participants", 0))
    votes = int(result.get("votes", 0))
    return [
        ngettext("%(n)s statement imported.", "%(n)s statements imported.", statements)
        % {"n": _count(statements)},
        ngettext("%(n)s person took part.", "%(n)s people took part.", people)
        % {"n": _count(people)},
        ngettext("%(n)s vote imported.", "%(n)s votes imported.", votes) % {"n": _count(votes)},
    ]


@register("consultations.map", retry_when_lost=True, describe=describe_map)
def opinion_map(job: Job) -> dict[str, Any]:
    try:
        consultation = Consultation.objects.get(pk=job.params["consultation"])
    except (Consultation.DoesNotExist, KeyError) as exc:
        raise JobFailed(_("The consultation no longer exists.")) from exc
    job.report(0, total=2, message=_("Reading the votes"))
    snapshot = adapter.compute_map(consultation)
    job.report(2, message=_("Map ready"))
    groups = snapshot.result.get("groups", [])
    people = snapshot.result.get(
        "n_participants", len(snapshot.result.get("participant_group", {}))
    )
    return {"votes": snapshot.votes, "groups": len(groups), "people": int(people)}


@register("consultations.final_maps", every=timedelta(hours=1), retry_when_lost=True)
def final_maps(job: Job) -> dict[str, Any]:
    """Map each consultation that closed lately and has votes but no map since it closed: its
    results are then announced (``actions.save_map``)."""
    queued = [c.pk for c in selectors.closed_without_final_map() if actions.request_map(c)]
    return {"maps_queued": len(queued)}


def _delete_uploads(job: Job) -> None:
    """A failed or lost import (its worker died before its own clean-up) keeps no copy of the
    uploaded files. Idempotent."""
    import contextlib

    from django.core.files.storage import storages

    for name in job.params.get("files", []):
        with contextlib.suppress(FileNotFoundError):
            storages["private"].delete(str(name))


@register("consultations.import", on_failed=_delete_uploads, describe=describe_import)
def polis_import(job: Job) -> dict[str, Any]:
    """Import a Polis export kept in private storage by ``actions.start_polis_import``.

    All or nothing; the stored files are deleted whatever happens. A malformed file fails the
    job with its file, line and column.
    """
    from django.core.files.storage import storages
    from django.urls import reverse

    names = [str(n) for n in job.params.get("files", [])]
    try:
        if job.council is None or not names:
            raise JobFailed(_("The import has no council or no files. Upload the files again."))
        storage = storages["private"]
        job.report(0, total=3, message=_("Reading the files"))
        files: dict[str, bytes] = {}
        for name in names:
            try:
                with storage.open(name, "rb") as fh:
                    files[PurePosixPath(name).name] = fh.read()
            except FileNotFoundError as exc:
                missing = _("The uploaded files are no longer there. Upload them again.")
                raise JobFailed(missing) from exc
        try:
            conversation = adapter.read_polis_export(files)
            job.report(
                1,
                message=_("Saving %(statements)s statements and %(votes)s votes")
                % {
                    "statements": _count(len(conversation.statements)),
                    "votes": _count(len(conversation.votes)),
                },
            )
            consultation = adapter.save_polis_import(
                job.council,
                conversation,
                slug=str(job.params["slug"]),
                question=str(job.params["question"]),
                by=job.created_by,
            )
        except PolisFormatError as exc:
            raise JobFailed(
                _("Nothing was imported. %(problem)s. Correct the file and upload it again.")
                % {"problem": exc}
            ) from exc
        except ConsultationError as exc:
            raise JobFailed(_("Nothing was imported. %(problem)s.") % {"problem": exc}) from exc
    finally:
        _delete_uploads(job)
    job.report(2, message=_("Imported. Queuing the opinion map"))
    actions.request_map(consultation)
    return {
        "statements": consultation.statements.count(),
        "participants": consultation.participants.count(),
        "votes": Vote.objects.filter(statement__consultation=consultation).count(),
        "warnings": [str(w) for w in conversation.warnings],
        "link": reverse("consultations:results", args=[consultation.slug]),
    }
