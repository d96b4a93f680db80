"""Practice cards shared between councils: the signed JSON feed (format and checks) and its
Atom twin, and fetching another council's feed. docs/practice-feed.md documents the format.

A feed is ``{"format", "version", "publisher", "generated_at", "cards", "signature"}``. Each
entry of ``cards`` is ``{"card", "sha256", "signature"}``: the card, the SHA-256 of its
canonical JSON and the publisher's Ed25519 signature of that canonical JSON. The feed's own
``signature`` signs the canonical JSON of the *manifest*: the feed without ``signature`` and
with each entry reduced to its card's ``id`` and ``sha256``. So a reader refuses a forged feed
(manifest signature), and within a good feed refuses a card altered after signing (its SHA-256
differs from the signed manifest) or a forged card (its own signature fails) while importing
the rest.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import json
import math
import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from changemaker.evidence import signing

FORMAT = "changemaker-practice-cards"
VERSION = 1
MAX_FEED_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 10
MAX_CARDS = 1_000


def canonical(value: Any) -> bytes:
    """The bytes that are hashed and signed: JSON with sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(card: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(card)).hexdigest()


def manifest(document: dict[str, Any]) -> dict[str, Any]:
    """What the feed's signature signs."""
    head = {k: v for k, v in document.items() if k not in ("signature", "cards")}
    entries = document.get("cards")
    cards = [
        {"id": _object(e.get("card")).get("id"), "sha256": e.get("sha256")}
        for e in (entries if isinstance(entries, list) else [])
        if isinstance(e, dict)
    ]
    return {**head, "cards": cards}


def document(publisher: dict[str, str], generated_at: str, cards: list[dict[str, Any]]) -> dict:
    """A signed feed of ``cards`` (each card's dict, as :func:`selectors.feed_cards` gives)."""
    entries = [
        {"card": c, "sha256": digest(c), "signature": signing.sign(canonical(c))} for c in cards
    ]
    feed: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "publisher": {**publisher, "public_key": signing.public_key()},
        "generated_at": generated_at,
        "cards": entries,
    }
    feed["signature"] = signing.sign(canonical(manifest(feed)))
    return feed


# -- reading another council's feed -----------------------------------------------------------


class FeedRefused(Exception):
    """The whole feed is refused: ``status`` (a Subscription.Status value) and why, in words."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Checked:
    """A feed that passed: its publisher's name, the cards that verified, the ones refused."""

    publisher: str
    cards: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (card, sha256)
    refused: list[dict[str, str]] = field(default_factory=list)  # {"id", "reason"}


def _object(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one in place of anything else."""
    return value if isinstance(value, dict) else {}


def _text(card: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str | None:
    value = card.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        return None
    return value


def _number(value: Any) -> bool:
    return value is None or (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    )


def card_problem(card: Any) -> str | None:
    """Why a card's content cannot be imported (None: it can). Checks what this site reads."""
    if not isinstance(card, dict):
        return _("the card is not a JSON object")
    for name, limit in (("id", 500), ("url", 500), ("title", 150), ("council", 200)):
        if _text(card, name, limit, required=True) is None:
            return _("the field %(field)s is missing or too long") % {"field": name}
    if not str(card["url"]).startswith(("https://", "http://")):
        return _("the field url is not a web address")
    if _text(card, "outcome_key", 80) is None:
        return _("the field outcome_key is not text")
    result = card.get("result")
    if result is not None:
        if not isinstance(result, dict):
            return _("the field result is not a JSON object")
        ci = result.get("ci")
        if not (isinstance(ci, list) and len(ci) == 2 and all(_number(v) for v in ci)):
            return _("the field result.ci is not two numbers")
        for name in ("estimate", "se"):
            if not _number(result.get(name)):
                return _("the field result.%(field)s is not a number") % {"field": name}
    return None


def check(raw: bytes, public_key: str) -> Checked:
    """Verify a fetched feed against the pinned ``public_key``. Raises :class:`FeedRefused`
    for the whole feed; returns the cards that verified and the ones refused (with why)."""
    try:
        feed = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FeedRefused("invalid", _("The feed is not UTF-8 text.")) from None
    except json.JSONDecodeError as exc:
        raise FeedRefused(
            "invalid",
            _("The feed is not valid JSON: line %(line)s, column %(column)s: %(what)s.")
            % {"line": exc.lineno, "column": exc.colno, "what": exc.msg},
        ) from None
    if not isinstance(feed, dict) or feed.get("format") != FORMAT:
        raise FeedRefused(
            "invalid",
            _("This address does not give a practice-card feed (format %(format)s).")
            % {"format": FORMAT},
        )
    if feed.get("version") != VERSION:
        raise FeedRefused(
            "wrong_version",
            _(
                "The feed is version %(found)s; this site reads version %(version)s. Ask the "
                "publisher which version they publish, or update this site."
            )
            % {"found": str(feed.get("version"))[:20], "version": VERSION},
        )
    publisher = _object(feed.get("publisher"))
    if publisher.get("public_key") != public_key:
        raise FeedRefused(
            "bad_signature",
            _(
                "The feed names a different public key from the one you subscribed with. Check "
                "the key on the publisher's key page; if it really changed, subscribe again."
            ),
        )
    signature = feed.get("signature")
    if not isinstance(signature, str) or not signing.verify(
        public_key, canonical(manifest(feed)), signature
    ):
        raise FeedRefused(
            "bad_signature",
            _(
                "The feed's signature does not match its content or the publisher's key: it was "
                "changed after signing, or not signed by the publisher. Nothing was imported."
            ),
        )
    entries = feed.get("cards")
    if not isinstance(entries, list) or len(entries) > MAX_CARDS:
        raise FeedRefused("invalid", _("The feed's cards are not a list of at most 1,000."))
    checked = Checked(publisher=str(publisher.get("name", ""))[:200])
    for entry in entries:
        card = entry.get("card") if isinstance(entry, dict) else None
        card_id = str(card.get("id", "?"))[:500] if isinstance(card, dict) else "?"
        reason = card_problem(card)
        if reason is None:
            assert isinstance(card, dict)
            if digest(card) != entry.get("sha256"):
                reason = _("altered after signing: its content does not match the signed feed")
            elif not signing.verify(public_key, canonical(card), str(entry.get("signature"))):
                reason = _("its signature does not match: not signed by the publisher")
        if reason is None:
            checked.cards.append((card, digest(card)))  # type: ignore[arg-type]
        else:
            checked.refused.append({"id": card_id, "reason": reason})
    return checked


def _public_address(host: str, port: int | None) -> str:
    """The address a feed's host name resolves to, refused when it is inside the server's own
    networks (loopback, private, link-local...) unless CHANGEMAKER_FEEDS_ALLOW_PRIVATE: an
    officer's feed address must not reach services behind the firewall (SSRF)."""
    try:
        found = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        raise FeedRefused(
            "unreachable", _("The feed's host name could not be found. Check the address.")
        ) from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in found]
    if not settings.CHANGEMAKER_FEEDS_ALLOW_PRIVATE and any(not a.is_global for a in addresses):
        raise FeedRefused(
            "unreachable",
            _("The feed address points inside this council's own network, which is not allowed."),
        )
    return str(addresses[0])


def fetch(url: str) -> bytes:
    """GET a feed: http or https only, no redirects, at most 5 MB, 10 seconds. A host under
    .localhost is reached on 127.0.0.1 (RFC 6761), as browsers do: the demo's second council
    on the same install. Raises :class:`FeedRefused` ("unreachable") with what went wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedRefused("unreachable", _("The feed address must start with http:// or https://"))
    host = parts.hostname
    local = host == "localhost" or host.endswith(".localhost")
    address = "127.0.0.1" if local else _public_address(host, parts.port)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(host, parts.port, timeout=TIMEOUT_SECONDS)
    else:
        connection = http.client.HTTPConnection(address, parts.port, timeout=TIMEOUT_SECONDS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "GET", path, headers={"Host": parts.netloc, "Accept": "application/json"}
        )
        response = connection.getresponse()
        if response.status != 200:
            raise FeedRefused(
                "unreachable",
                _(
                    "The feed address answered %(status)s %(reason)s, not the feed. Check the "
                    "address on the publisher's key page."
                )
                % {"status": response.status, "reason": response.reason[:100]},
            )
        body = response.read(MAX_FEED_BYTES + 1)
    except (OSError, http.client.HTTPException) as exc:
        raise FeedRefused(
            "unreachable",
            _("The feed could not be fetched (%(what)s). It is tried again at the next check.")
            % {"what": type(exc).__name__},
        ) from None
    finally:
        connection.close()
    if len(body) > MAX_FEED_BYTES:
        raise FeedRefused("invalid", _("The feed is larger than 5 MB."))
    return body


def _words(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def plan_from_card(card: dict[str, Any]) -> dict[str, Any]:
    """A card's design as the register's plan fields ("Replicate this pilot")."""
    toc = _object(card.get("theory_of_change"))
    primary = _object(card.get("primary_outcome"))
    second = _object(card.get("secondary_outcome"))
    planned = _object(card.get("planned"))
    design = card.get("design")
    plan: dict[str, Any] = {
        "title": _words(card.get("title"), 150),
        "problem": _words(card.get("problem"), 5000),
        "affects": _words(card.get("affects"), 5000),
        "intervention": _words(card.get("intervention"), 5000),
        "hypothesis": _words(card.get("hypothesis"), 5000),
        "outcome_key": _words(card.get("outcome_key"), 80),
        "comparison_group": _words(card.get("comparison_group"), 200),
        "design": design if design in ("did", "did2x2", "staggered", "ab", "before-after") else "",
    }
    for name in ("inputs", "activities", "outputs", "outcomes", "impact"):
        plan[f"toc_{name}"] = _words(toc.get(name), 5000)
    plan["assumptions"] = _words(toc.get("assumptions"), 5000)
    for prefix, source in (("primary", primary), ("secondary", second)):
        plan[f"{prefix}_outcome"] = _words(source.get("name"), 150)
        plan[f"{prefix}_definition"] = _words(source.get("definition"), 5000)
        plan[f"{prefix}_unit"] = _words(source.get("unit"), 80)
        plan[f"{prefix}_timepoint"] = _words(source.get("timepoint"), 150)
    for name, key in (
        ("planned_icc", "icc"),
        ("outcome_sd", "outcome_sd"),
        ("expected_effect", "smallest_effect"),
    ):
        value = planned.get(key)
        if _number(value) and value is not None and value >= 0:
            plan[name] = float(value)
    return plan


ATOM_NS = "https://changemaker.example/ns/practice-cards/1"  # a name, never fetched


class _SignedAtom(Atom1Feed):
    """Atom with each entry's card (canonical JSON), its SHA-256 and its signature, in the
    practice-card namespace: a feed reader shows the cards, a council can verify each one."""

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:cm": ATOM_NS}

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        handler.addQuickElement("cm:version", str(VERSION))
        handler.addQuickElement("cm:public_key", self.feed["public_key"])

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("cm:sha256", item["sha256"])
        handler.addQuickElement("cm:signature", item["signature"])
        handler.addQuickElement("cm:card", item["card_json"])


def atom(feed: dict[str, Any], *, link: str, feed_url: str, title: str) -> str:
    """The signed JSON feed as Atom (same cards, same signatures)."""
    updated = datetime.fromisoformat(feed["generated_at"])
    out = _SignedAtom(
        title=title,
        link=link,
        description="",
        feed_url=feed_url,
        language=None,
        public_key=feed["publisher"]["public_key"],
    )
    for entry in feed["cards"]:
        card = entry["card"]
        out.add_item(
            title=card["title"],
            link=card["url"],
            description=card["intervention"],
            unique_id=card["id"],
            updateddate=updated,
            sha256=entry["sha256"],
            signature=entry["signature"],
            card_json=canonical(card).decode("utf-8"),
        )
    return str(out.writeString("utf-8"))
