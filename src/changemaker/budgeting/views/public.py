"""Pages anyone may see, signed out too: budgets, ideas, results (and their .pb file),
delivery and its Atom feed; and who may see an idea picture."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from changemaker.budgeting import adapter, selectors, wording
from changemaker.budgeting.models import Heading, Phase, Process, Project
from changemaker.budgeting.views.shared import _process
from changemaker.core import bilingual
from changemaker.core.bilingual import text
from changemaker.core.models.commitments import CommitmentUpdate
from changemaker.core.views.base import current_council


def process_list(request: HttpRequest) -> HttpResponse:
    processes = Process.objects.filter(council=current_council(request))
    return render(request, "budgeting/list.html", {"processes": processes})


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    return render(request, "budgeting/detail.html", {"process": process, "Phase": Phase})


def idea_image_access(request: HttpRequest, name: str) -> str | None:
    """core.views.pages.media asks: may this request see this idea picture (pb-ideas/...)?"""
    return selectors.idea_image_access(current_council(request), request.user, name)


def ideas(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    projects = selectors.visible_ideas(request.user, process)
    context = {"process": process, "projects": projects, "Phase": Phase}
    context["ideas_map"] = selectors.ideas_map(process, projects)
    return render(request, "budgeting/ideas.html", context)


def idea_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = _process(request, slug)
    project = get_object_or_404(Project, process=process, code=code)
    if not selectors.can_see_idea(request.user, project):
        raise Http404
    context = {
        "process": process,
        "project": project,
        "Phase": Phase,
        "funded": project.code in selectors.funded_codes(process),
        "supporters": project.supports.count(),
        "supported": request.user.is_authenticated
        and project.supports.filter(user=request.user).exists(),
        "history": selectors.idea_history(project),
        "delivery": selectors.delivery_of(project),
        "quotes": selectors.idea_quotes(project),
    }
    return render(request, "budgeting/idea.html", context)


# Results and delivery --------------------------------------------------------------------


def results(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    if process.phase not in {Phase.RESULTS, Phase.DELIVERY}:
        return render(request, "budgeting/results_not_yet.html", {"process": process})
    return render(
        request,
        "budgeting/results.html",
        {
            "process": process,
            "blocks": selectors.results_blocks(process),
            "min_group": adapter.MIN_GROUP,
            "evidence": selectors.evidence_used(process),
            "funded_map": selectors.funded_map(process),
        },
    )


def how_counting_works(request: HttpRequest, slug: str) -> HttpResponse:
    """How votes become funded projects, in plain English: every rule and setting, this
    budget's marked."""
    process = _process(request, slug)
    symbol = process.currency_symbol
    rules = [
        {"code": code, "name": wording.rule_name(code), "words": wording.rule_sentence(code)}
        for code in ("mes", "greedy", "phragmen")
    ]
    context = {
        "process": process,
        "rules": rules,
        "completion": wording.completion_sentence(process.completion, symbol)
        if process.rule == "mes"
        else "",
        "completions": [wording.completion_sentence(c, symbol) for c in ("add1", "add1u")],
        "ties": wording.tie_sentence(process.tie_break),
    }
    return render(request, "budgeting/how_counting_works.html", context)


def results_file(request: HttpRequest, slug: str, heading: int) -> HttpResponse:
    process = _process(request, slug)
    if process.phase not in {Phase.RESULTS, Phase.DELIVERY}:
        return render(request, "budgeting/results_not_yet.html", {"process": process}, status=404)
    head = get_object_or_404(Heading, process=process, pk=heading)
    response = HttpResponse(
        adapter.results_file(process, head), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-{head.pk}.pb"'
    return response


def delivery(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    funded = list(process.projects.filter(code__in=selectors.funded_codes(process)))
    deliveries = selectors.deliveries(process, funded)
    projects = [(p, deliveries.get(p.code)) for p in funded]
    return render(request, "budgeting/delivery.html", {"process": process, "projects": projects})


FeedItem = tuple[CommitmentUpdate, Project]


class DeliveryFeed(Feed[FeedItem, Process]):
    """An Atom feed of a budget's delivery updates, so residents can follow them in a feed
    reader. Public, like the delivery page: the update text and the project, never who
    wrote it."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Process:
        return get_object_or_404(Process, council=current_council(request), slug=slug)

    def title(self, obj: Process) -> str:
        return _("What is being done: %(title)s") % {"title": text(obj, "title")}

    def link(self, obj: Process) -> str:
        return reverse("budgeting:delivery", args=[obj.slug])

    def subtitle(self, obj: Process) -> str:
        return _("Progress on the projects residents chose in %(title)s") % {
            "title": text(obj, "title")
        }

    def items(self, obj: Process) -> list[FeedItem]:
        return selectors.delivery_updates(obj, limit=50)

    def item_title(self, item: FeedItem) -> str:
        update, project = item
        return f"{text(project, 'title')}: {update.commitment.get_status_display()}"

    def item_description(self, item: FeedItem) -> str:
        return bilingual.text(item[0], "text")

    def item_link(self, item: FeedItem) -> str:
        project = item[1]
        return reverse("budgeting:idea", args=[project.process.slug, project.code])

    def item_guid(self, item: FeedItem) -> str:
        return f"{self.item_link(item)}#update-{item[0].pk}"

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item[0].at
