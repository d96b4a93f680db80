"""Helpers the culture survey's views share."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest


def refused(request: HttpRequest, reason: Exception) -> None:
    messages.error(request, str(reason))
