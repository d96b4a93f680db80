"""Signed feeds between councils. A second council on the same install publishes its cards;
Exampleton subscribes with its feed address and public key; the feed is served to the job by
a fake server on localhost (never the network). Good cards import and pool with Exampleton's
own; a forged feed, an altered or badly signed card and an unknown version are refused, each
with a clear status."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.etree import ElementTree

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from changemaker.core.jobs import is_scheduled, summary
from changemaker.core.models import AuditEvent, Council, Job
from changemaker.core.tests.factories import CouncilFactory
from changemaker.evidence import actions, feeds, signing
from changemaker.evidence.models import (
    REPLICATED_FIELDS,
    Analysis,
    OutcomeData,
    Pilot,
    SharedCard,
    Subscription,
)
from changemaker.evidence.tests.conftest import DID_COLUMNS, HOST, PLAN, did_result, run_latest

KEY = "crisis-referrals-per-month"
OTHER = {"HTTP_HOST": "riverside.test"}


class FakeCouncil:
    """Another council's site on localhost: serves whatever bytes a test sets for a path."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = routes.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/evidence/feed.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, body: bytes | dict[str, Any], status: int = 200) -> None:
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        self.routes["/evidence/feed.json"] = (status, raw)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake() -> Iterator[FakeCouncil]:
    server = FakeCouncil()
    yield server
    server.close()


def _publish(council: Council, slug: str, estimate: float, se: float) -> Pilot:
    values: dict[str, Any] = {**PLAN, "slug": slug, "title": f"{council.name} {slug}"}
    for name in ("cost", "planned_clusters", "planned_cluster_size"):
        values[name] = int(values[name])
    for name in ("planned_icc", "outcome_sd", "expected_effect"):
        values[name] = float(values[name])
    pilot = Pilot.objects.create(
        council=council, status=Pilot.Status.PUBLISHED, outcome_key=KEY, **values
    )
    result = {**did_result(), "estimate": estimate, "se": se}
    result["ci"] = [estimate - 1.96 * se, estimate + 1.96 * se]
    data = OutcomeData.objects.create(
        pilot=pilot, source="o.csv", text="x", columns=DID_COLUMNS, n_rows=1
    )
    Analysis.objects.create(
        pilot=pilot,
        data=data,
        result=result,
        estimate=estimate,
        ci_low=result["ci"][0],
        ci_high=result["ci"][1],
        sms_level=3,
    )
    return pilot


@pytest.fixture
def riverside(db: None) -> Council:
    other = CouncilFactory(name="Riverside", slug="riverside", domain="riverside.test")
    _publish(other, "hubs", -9.0, 2.5)
    _publish(other, "outreach", -4.0, 3.0)
    return other


def _their_feed() -> dict[str, Any]:
    response = Client().get(reverse("evidence:feed-json"), **OTHER)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def _their_key() -> str:
    page = Client().get(reverse("evidence:signing-key"), **OTHER).content.decode()
    key = signing.public_key()
    assert f"{key}</code>" in page and signing.fingerprint(key) in page
    return key


def _subscribe(lead: Client, fake: FakeCouncil) -> Subscription:
    response = lead.post(
        reverse("evidence:staff-subscriptions"),
        {"url": fake.url, "public_key": _their_key()},
        **HOST,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Subscription.objects.get()


def _check(found: Subscription) -> Subscription:
    job = actions.start_feed_check(found, by=found.created_by)  # type: ignore[arg-type]
    done = run_latest("evidence.feed")
    assert done.pk == job.pk and done.status == Job.Status.SUCCEEDED, done.error
    found.refresh_from_db()
    return found


def test_a_second_councils_feed_imports_and_pools(
    lead: Client, fake: FakeCouncil, riverside: Council, council: Council
) -> None:
    _publish(council, "own", -12.0, 2.0)
    fake.serve(_their_feed())
    found = _subscribe(lead, fake)  # subscribing checks the feed at once (a job)
    job = run_latest("evidence.feed")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert summary(job) == ["1 feed checked.", "1 is up to date."]
    found.refresh_from_db()
    assert found.status == Subscription.Status.OK and found.publisher == "Riverside"
    assert found.message == "2 cards imported."
    assert set(SharedCard.objects.values_list("title", flat=True)) == {
        "Riverside hubs",
        "Riverside outreach",
    }
    # pooled with Exampleton's own pilot on the public page
    page = Client().get(reverse("evidence:outcome", args=[KEY]), **HOST).content.decode()
    assert "Across 3 pilots" in page
    assert "Riverside hubs" in page and "Exampleton Borough Council own" in page
    assert page.count("<rect ") == 3
    from changemaker.evidence import engine as ev

    expected = ev.pool([-12.0, -9.0, -4.0], [2.0, 2.5, 3.0], method="reml")
    assert f"fell by about {-expected.estimate:.1f}" in page
    # Riverside sees only its own cards: a subscription is Exampleton's
    theirs = Client().get(reverse("evidence:outcome", args=[KEY]), **OTHER).content.decode()
    assert "Across 2 pilots" in theirs and "Exampleton" not in theirs
    library = Client().get(reverse("evidence:library"), **HOST).content.decode()
    assert 'id="other-councils"' in library and "Riverside outreach" in library
    searched = Client().get(reverse("evidence:library"), {"q": "hubs"}, **HOST).content.decode()
    assert "Riverside hubs" in searched and "Riverside outreach" not in searched
    staff = lead.get(reverse("evidence:staff-subscription", args=[found.pk]), **HOST)
    assert "Riverside hubs" in staff.content.decode()
    assert {"evidence.subscribed", "evidence.feed_checked"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def _imported(lead: Client, fake: FakeCouncil) -> tuple[Subscription, dict[str, Any]]:
    feed = _their_feed()
    fake.serve(feed)
    found = _subscribe(lead, fake)
    run_latest("evidence.feed")
    found.refresh_from_db()
    assert found.status == Subscription.Status.OK and found.cards.count() == 2
    return found, feed


def _estimates() -> dict[str, float | None]:
    return dict(SharedCard.objects.values_list("title", "estimate"))


def test_a_forged_feed_is_refused_whole(
    lead: Client, fake: FakeCouncil, riverside: Council
) -> None:
    found, feed = _imported(lead, fake)
    before = _estimates()
    forged = json.loads(json.dumps(feed))
    forged["cards"][0]["card"]["result"]["estimate"] = -40.0  # a much better result
    card = forged["cards"][0]["card"]
    forged["cards"][0]["sha256"] = feeds.digest(card)  # consistent, but not signed by them
    impostor = Ed25519PrivateKey.generate()
    forged["cards"][0]["signature"] = base64.b64encode(
        impostor.sign(feeds.canonical(card))
    ).decode()
    forged["signature"] = base64.b64encode(
        impostor.sign(feeds.canonical(feeds.manifest(forged)))
    ).decode()
    fake.serve(forged)
    found = _check(found)
    assert found.status == Subscription.Status.BAD_SIGNATURE
    assert "signature does not match" in found.message and "Nothing was imported" in found.message
    assert _estimates() == before  # the cards imported before are kept as they were
    page = lead.get(reverse("evidence:staff-subscription", args=[found.pk]), **HOST)
    assert "Refused: the signature does not match" in page.content.decode()
    # the impostor's own key in the feed does not help: the subscription pinned the real one
    forged["publisher"]["public_key"] = base64.b64encode(
        impostor.public_key().public_bytes_raw()
    ).decode()
    fake.serve(forged)
    found = _check(found)
    assert found.status == Subscription.Status.BAD_SIGNATURE
    assert "different public key" in found.message and _estimates() == before


def test_an_altered_or_badly_signed_card_is_refused_and_the_rest_imported(
    lead: Client, fake: FakeCouncil, riverside: Council
) -> None:
    found, feed = _imported(lead, fake)
    before = _estimates()
    changed = json.loads(json.dumps(feed))
    changed["cards"][0]["card"]["result"]["estimate"] = -40.0  # altered after signing
    changed["cards"][1]["card"]["title"] = "Riverside outreach (renamed)"
    changed["cards"][1]["sha256"] = feeds.digest(changed["cards"][1]["card"])
    fake.serve(changed)
    found = _check(found)
    # the second card's new digest breaks the signed manifest: the feed is refused whole
    assert found.status == Subscription.Status.BAD_SIGNATURE and _estimates() == before

    altered = json.loads(json.dumps(feed))
    altered["cards"][0]["card"]["result"]["estimate"] = -40.0
    altered["cards"][1]["signature"] = altered["cards"][0]["signature"]  # not this card's
    fake.serve(altered)
    found = _check(found)
    assert found.status == Subscription.Status.PARTIAL
    reasons = {r["id"]: r["reason"] for r in found.refused}
    hubs, outreach = (c["card"]["id"] for c in feed["cards"])
    assert "altered after signing" in reasons[hubs]
    assert "signature does not match" in reasons[outreach]
    assert found.message == "0 cards imported. 2 cards refused."
    assert _estimates() == before  # a refused card keeps its last good version
    page = lead.get(reverse("evidence:staff-subscription", args=[found.pk]), **HOST)
    assert 'id="refused"' in page.content.decode()

    one_bad = json.loads(json.dumps(feed))
    one_bad["cards"][0]["card"]["result"]["estimate"] = -40.0
    fake.serve(one_bad)
    found = _check(found)
    assert found.status == Subscription.Status.PARTIAL
    assert found.message == "1 card imported. 1 card refused."


def test_wrong_versions_bad_json_and_missing_feeds_get_a_clear_status(
    lead: Client, fake: FakeCouncil, riverside: Council
) -> None:
    found, feed = _imported(lead, fake)
    before = _estimates()
    fake.serve({**feed, "version": 2})
    found = _check(found)
    assert found.status == Subscription.Status.WRONG_VERSION
    assert "version 2; this site reads version 1" in found.message
    fake.serve(b'{"format": "changemaker-practice-cards",\n "version": 1,,}')
    found = _check(found)
    assert found.status == Subscription.Status.INVALID
    assert "not valid JSON: line 2, column" in found.message
    fake.serve({"hello": "world"})
    assert _check(found).status == Subscription.Status.INVALID
    fake.serve(b"gone", status=404)
    found = _check(found)
    assert found.status == Subscription.Status.UNREACHABLE and "404" in found.message
    assert _estimates() == before
    fake.serve(feed)
    assert _check(found).status == Subscription.Status.OK


def test_the_scheduled_job_checks_every_subscription(
    lead: Client, fake: FakeCouncil, riverside: Council
) -> None:
    assert is_scheduled("evidence.feeds")
    found, feed = _imported(lead, fake)
    fake.serve({**feed, "version": 9})
    from changemaker.core.jobs import enqueue

    enqueue("evidence.feeds", title="Scheduled: evidence.feeds")
    job = run_latest("evidence.feeds")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert summary(job) == [
        "1 feed checked.",
        "0 are up to date.",
        "1 had a problem: see each subscription's status.",
    ]
    found.refresh_from_db()
    assert found.status == Subscription.Status.WRONG_VERSION


def test_subscribing_needs_a_real_key_and_address(lead: Client) -> None:
    response = lead.post(
        reverse("evidence:staff-subscriptions"),
        {"url": "ftp://example.test/feed", "public_key": "not-a-key"},
        **HOST,
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter a web address starting with https:// or http://" in page
    assert "Enter the public key exactly as the key page shows it" in page
    assert Subscription.objects.count() == 0


def test_the_key_is_kept_outside_the_database_and_signs_the_atom_feed(
    riverside: Council,
) -> None:
    key = signing.public_key()
    assert storages["private"].exists(signing.KEY_NAME)
    assert signing.public_key() == key  # made once, then reused
    assert len(key) == 44 and len(signing.fingerprint(key).split()) == 8
    atom = Client().get(reverse("evidence:feed-atom"), **OTHER)
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(atom.content)  # noqa: S314 (our own feed, made just now)
    ns = {"a": "http://www.w3.org/2005/Atom", "cm": feeds.ATOM_NS}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 2 and root.findtext("cm:public_key", namespaces=ns) == key
    for entry in entries:
        card = (entry.findtext("cm:card", namespaces=ns) or "").encode()
        assert signing.verify(key, card, entry.findtext("cm:signature", namespaces=ns) or "")
        assert not signing.verify(
            key, card + b" ", entry.findtext("cm:signature", namespaces=ns) or ""
        )


def test_replicating_another_councils_card_records_where_it_came_from(
    lead: Client, fake: FakeCouncil, riverside: Council, council: Council
) -> None:
    _imported(lead, fake)
    shared = SharedCard.objects.get(title="Riverside hubs")
    response = lead.post(reverse("evidence:staff-replicate-shared", args=[shared.pk]), **HOST)
    assert response.status_code == 302
    copy = Pilot.objects.get(council=council)
    source = Pilot.objects.get(council=riverside, slug="hubs")
    for name in REPLICATED_FIELDS:
        if name != "title":
            assert getattr(copy, name) == getattr(source, name), name
    assert copy.title == "Riverside hubs" and copy.status == Pilot.Status.PLANNED
    assert copy.replicated_from_shared == shared and copy.replicated_from is None
    assert copy.origin_council == "Riverside" and copy.origin_url == shared.card["url"]
    assert copy.origin_url.startswith("http://riverside.test/evidence/hubs/")
    assert AuditEvent.objects.filter(action="evidence.pilot_replicated").count() == 1


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/feed.json", "http://10.0.0.8/feed.json"])
def test_a_feed_address_inside_the_councils_own_network_is_refused(url: str, settings: Any) -> None:
    """An officer's feed address must not make the server fetch from its own network (SSRF);
    only the demo and the tests switch this on (CHANGEMAKER_FEEDS_ALLOW_PRIVATE)."""
    settings.CHANGEMAKER_FEEDS_ALLOW_PRIVATE = False
    with pytest.raises(feeds.FeedRefused) as refused:
        feeds.fetch(url)
    assert "inside this council's own network" in str(refused.value.args)
