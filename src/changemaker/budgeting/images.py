"""Idea pictures: stored as a new file drawn from their pixels (``core.images``), so nothing a
camera or phone hides in them (GPS, names, appended pictures) is published; deleted with
their idea."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def delete_after_commit(file: Any) -> None:
    """Delete a stored file once the transaction commits (a rollback keeps it)."""
    name, storage = str(file.name), file.storage
    transaction.on_commit(lambda: storage.delete(name))


def delete_file_with_idea(sender: type, instance: Any, **kwargs: Any) -> None:
    """``post_delete`` of an idea (one or many at once): its image file goes too."""
    if instance.image:
        delete_after_commit(instance.image)
