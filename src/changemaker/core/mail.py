"""GOV.UK Notify as a Django email backend: every email the platform sends goes through
Notify when ``GOVUK_NOTIFY_API_KEY`` is set (settings choose this backend then).

Notify sends from a template: one email template whose subject is ``((subject))`` and whose
body is ``((body))`` (``GOVUK_NOTIFY_TEMPLATE_ID``). A message's ``List-Unsubscribe`` link is
handed to Notify as its one-click unsubscribe URL (Notify then adds the headers itself).
Uses the official client, ``notifications-python-client``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

NOTIFY_URL = "https://api.notifications.service.gov.uk"


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(
        self,
        *,
        api_key: str,
        template_id: str,
        base_url: str = NOTIFY_URL,
        timeout: float = 30,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.template_id = template_id
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            unsubscribe = _unsubscribe_url(message)
            for address in message.to:
                try:
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                        one_click_unsubscribe_url=unsubscribe,
                    )
                except APIError:
                    if getattr(self, "_fail_silently", False):
                        continue
                    raise
            sent += 1
        return sent


def _unsubscribe_url(message: EmailMessage) -> str | None:
    value = str(message.extra_headers.get("List-Unsubscribe", "")).strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    return value or None
