"""What of a budget's officer-written words has no Welsh yet (the "Still to translate" page
and the staff pages' tags)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.budgeting.models import (
    Process,
    Project,
)
from changemaker.core import bilingual
from changemaker.core.models import Council
from changemaker.core.registry import Untranslated

# Welsh versions --------------------------------------------------------------------------

#: The officer-written words residents read, each with a Welsh companion (``<field>_cy``).
PROCESS_WORDS = {"title": gettext_lazy("Title"), "summary": gettext_lazy("Summary"),
                 "description": gettext_lazy("More about it")}  # fmt: skip
IDEA_WORDS = {"title": gettext_lazy("Title"), "description": gettext_lazy("Description")}


def process_welsh_missing(process: Process) -> list[str]:
    """What of the budget's own words (and its budgets' names) has no Welsh yet, in words."""
    found = [str(PROCESS_WORDS[f]) for f in bilingual.missing(process, PROCESS_WORDS)]
    found += [
        _("Name of “%(name)s”") % {"name": head.name}
        for head in process.headings.all()
        if bilingual.missing(head, ["name"])
    ]
    return found


def public_ideas_welsh_missing(process: Process) -> list[tuple[Project, list[str]]]:
    """The ideas residents can see whose Welsh is not written yet, with what is missing."""
    found = []
    for project in process.projects.filter(process.public_ideas()).order_by("code"):
        missing = [str(IDEA_WORDS[f]) for f in bilingual.missing(project, IDEA_WORDS)]
        if missing:
            found.append((project, missing))
    return found


def untranslated(council: Council) -> list[Untranslated]:
    """The council's budgets and published ideas still without their Welsh (for the staff
    area's "Still to translate" page)."""
    found = []
    for process in Process.objects.filter(council=council).prefetch_related("headings"):
        missing = process_welsh_missing(process)
        if missing:
            url = reverse("budgeting:staff-edit", args=[process.slug])
            found.append(Untranslated(process.title, url, missing))
        for project, lacking in public_ideas_welsh_missing(process):
            url = reverse("budgeting:staff-idea-welsh", args=[process.slug, project.code])
            found.append(Untranslated(f"{process.title}: {project.title}", url, lacking))
    return found
