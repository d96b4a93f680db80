"""The practice library shows published pilots only, searched and filtered with a GET form."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.core.tests.factories import CouncilFactory
from changemaker.evidence.models import Analysis, Pilot
from changemaker.evidence.tests.conftest import HOST


def _publish(pilot: Pilot) -> None:
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PUBLISHED)


def test_only_published_pilots_are_public(
    analysed: Callable[..., Analysis], make_pilot: Callable[..., Pilot]
) -> None:
    shown = analysed(slug="shown", title="Shown pilot").pilot
    _publish(shown)
    hidden = {
        status: analysed(slug=f"p-{status}", title=f"Hidden {status}", status=status).pilot
        for status in ("planned", "live", "complete")
    }
    page = Client().get(reverse("evidence:library"), **HOST).content.decode()
    assert "Shown pilot" in page and "Hidden" not in page
    card = Client().get(reverse("evidence:card", args=[shown.slug]), **HOST).content.decode()
    cost = f"£{shown.cost:,}"  # money the UK way, "£120,000"
    assert shown.cost >= 1000 and cost in page and cost in card
    for pilot in hidden.values():
        assert Client().get(reverse("evidence:card", args=[pilot.slug]), **HOST).status_code == 404
    other = CouncilFactory(name="Riverside", slug="riverside", domain="riverside.test")
    assert (
        "Shown pilot"
        not in Client().get(reverse("evidence:library"), HTTP_HOST=other.domain).content.decode()
    )


def test_search_and_filters(analysed: Callable[..., Analysis]) -> None:
    fell = analysed(slug="fell", title="Surgery workers", intervention="Workers in GP surgeries")
    flat = analysed(slug="flat", title="Leaflets", intervention="Leaflets to every door")
    for a in (fell, flat):
        _publish(a.pilot)
    # the leaflets made no clear difference: its stored result says so
    flat.result = {**flat.result, "estimate": 0.4, "ci": [-3.0, 3.8]}
    flat.save()

    def titles(**query: str) -> set[str]:
        page = Client().get(reverse("evidence:library"), query, **HOST).content.decode()
        return {t for t in ("Surgery workers", "Leaflets") if t in page}

    assert titles() == {"Surgery workers", "Leaflets"}
    assert titles(q="surgeries") == {"Surgery workers"}
    assert titles(result="unclear") == {"Leaflets"}
    assert titles(result="fell") == {"Surgery workers"}
    assert titles(design="ab") == set()
    assert titles(min_sms="3") == {"Surgery workers", "Leaflets"}
    assert titles(min_sms="5") == set()
    page = Client().get(reverse("evidence:library"), {"result": "unclear"}, **HOST)
    assert "No clear change" in page.content.decode()
    bad = Client().get(reverse("evidence:library"), {"design": "nonsense"}, **HOST)
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
