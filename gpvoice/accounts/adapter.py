"""allauth adapter: there is no open registration; people join through an invitation.

allauth's emails (sign-in codes) go through the outbox like every other email (gpvoice.jobs.mail).
"""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest

from gpvoice.jobs.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next((str(body) for body, kind in message.alternatives if kind == "text/html"), "")
        queue_email(
            key=f"allauth:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
            to=list(message.to),
            subject=str(message.subject),
            body=str(message.body),
            html=html,
            from_email=str(message.from_email or ""),
            erase_after_send=True,  # a sign-in code is a credential
        )
