"""Helpers both audiences' insight pages use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None
