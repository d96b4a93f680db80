"""An Atom feed of a budget's delivery updates, so residents can follow them in a feed reader.

Public, like the delivery page: the update text and the project, never who wrote it.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from changemaker.budgeting import counting
from changemaker.budgeting.models import DeliveryUpdate, Process
from changemaker.core.views.base import current_council


class DeliveryFeed(Feed[DeliveryUpdate, Process]):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Process:
        return get_object_or_404(Process, council=current_council(request), slug=slug)

    def title(self, obj: Process) -> str:
        return _("What is being done: %(title)s") % {"title": obj.title}

    def link(self, obj: Process) -> str:
        return reverse("budgeting:delivery", args=[obj.slug])

    def subtitle(self, obj: Process) -> str:
        return _("Progress on the projects residents chose in %(title)s") % {"title": obj.title}

    def items(self, obj: Process) -> QuerySet[DeliveryUpdate]:
        funded = counting.funded_codes(obj)
        return (
            DeliveryUpdate.objects.filter(project__process=obj, project__code__in=funded)
            .select_related("project")
            .order_by("-created_at")[:50]
        )

    def item_title(self, item: DeliveryUpdate) -> str:
        return f"{item.project.title}: {item.project.get_delivery_status_display()}"

    def item_description(self, item: DeliveryUpdate) -> str:
        return item.text

    def item_link(self, item: DeliveryUpdate) -> str:
        project = item.project
        return reverse("budgeting:idea", args=[project.process.slug, project.code])

    def item_guid(self, item: DeliveryUpdate) -> str:
        return f"{self.item_link(item)}#update-{item.pk}"

    def item_pubdate(self, item: DeliveryUpdate) -> datetime:
        return item.created_at
