"""Mail through GOV.UK Notify: `EMAIL_BACKEND=g2g.core.notify.NotifyEmailBackend`.

Notify sends only from templates made in its own admin. The service has one email template
whose subject is `((subject))` and whose body is `((body))`; this backend fills them with each
message's subject and plain-text body, one notification per recipient (to, cc and bcc alike),
through GOV.UK Notify's own client. Notify sets the sender and builds the HTML: a message's
from address, HTML alternative and headers are not sent, and replies go to the reply-to address
set up in Notify that `NOTIFY_REPLY_TO_ID` names (or the service's default).

Notify reads its own formatting (a subset of Markdown) in what it is sent, so text written as
`[Sign in](https://elsewhere.example)` would show words that hide the address they lead to.
The body's square brackets and backslashes are escaped outside web addresses: such text shows
as typed, and web addresses stay links (Notify makes bare addresses links itself).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

# A web address as Notify finds one to make a link of (its `notifications-utils` markdown).
WEB_ADDRESS = re.compile(r"""(https?://[^\s<]+[^<.,:"')\]\s])""")
LINK_SIGNS = re.compile(r"([\\\[\]])")


class NotifyError(Exception):
    """Notify refused a mail or could not be reached."""


def plain_text(body: str) -> str:
    """The body with every `[`, `]` and `\\` outside a web address escaped, so that Notify
    shows them as typed and makes no link whose words differ from its address."""
    parts = WEB_ADDRESS.split(body)  # odd indices are the addresses
    return "".join(
        part if index % 2 else LINK_SIGNS.sub(r"\\\1", part) for index, part in enumerate(parts)
    )


class NotifyEmailBackend(BaseEmailBackend):
    """Returns the number of messages sent to all their recipients. A refusal or an
    unreachable Notify raises `NotifyError`; with `fail_silently` the message is skipped."""

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.client: NotificationsAPIClient | None = None

    def open(self) -> bool:
        if self.client is not None:
            return False
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.EMAIL_TIMEOUT,
        )
        return True

    def close(self) -> None:
        if self.client is not None:
            self.client.request_session.close()
            self.client = None

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        opened = self.open()
        try:
            return sum(self._send(message) for message in email_messages)
        finally:
            if opened:
                self.close()

    def _send(self, message) -> bool:
        if message.attachments:
            raise NotifyError("The GOV.UK Notify backend cannot send attachments.")
        recipients = message.recipients()
        personalisation = {"subject": message.subject, "body": plain_text(message.body)}
        try:
            for address in recipients:
                self.client.send_email_notification(
                    email_address=address,
                    template_id=settings.NOTIFY_TEMPLATE_ID,
                    personalisation=personalisation,
                    email_reply_to_id=settings.NOTIFY_REPLY_TO_ID or None,
                )
        except APIError as error:
            if self.fail_silently:
                return False
            raise NotifyError(f"GOV.UK Notify did not send the mail: {error}") from error
        return bool(recipients)
