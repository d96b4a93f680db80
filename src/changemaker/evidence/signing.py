"""The install's Ed25519 key pair that signs its practice-card feeds (``cryptography``).

Generated on first use and kept in the private storage (``STORAGES["private"]``: outside
MEDIA_ROOT, never served), not in the database, so no table, backup of the database or data
export holds it. The public key is published on its own page (``evidence:signing-key``) and in
every feed; a subscribing council pins it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.core.files.base import ContentFile
from django.core.files.storage import storages

KEY_NAME = "keys/evidence-feed-ed25519.pem"


def _private_key() -> Ed25519PrivateKey:
    """The install's private key, made on first use (a race between two processes keeps the
    first one saved: the storage gives the second file another name, which is deleted)."""
    storage = storages["private"]
    if not storage.exists(KEY_NAME):
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        saved = storage.save(KEY_NAME, ContentFile(pem))
        if saved != KEY_NAME:
            storage.delete(saved)
        with contextlib.suppress(NotImplementedError, OSError):  # a file on disk: owner only
            os.chmod(storage.path(KEY_NAME), 0o600)
    with storage.open(KEY_NAME, "rb") as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    if not isinstance(key, Ed25519PrivateKey):  # pragma: no cover - only we write this file
        raise RuntimeError(f"{KEY_NAME} is not an Ed25519 key")
    return key


def public_key() -> str:
    """The install's public key: 32 bytes, base64 (44 characters)."""
    raw = (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode("ascii")


def fingerprint(key: str) -> str:
    """A short, readable check of a public key (to compare over the phone): SHA-256, first
    16 bytes, in groups of four hex digits."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def sign(data: bytes) -> str:
    """An Ed25519 signature of ``data``, base64."""
    return base64.b64encode(_private_key().sign(data)).decode("ascii")


def parse_public_key(text: str) -> Ed25519PublicKey | None:
    """A base64 Ed25519 public key, or None if it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 32:
        return None
    return Ed25519PublicKey.from_public_bytes(raw)


def verify(key: str, data: bytes, signature: str) -> bool:
    """Whether ``signature`` (base64) is ``key``'s signature of ``data``."""
    public = parse_public_key(key)
    if public is None:
        return False
    try:
        public.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
