"""allauth adapter: there is no open registration; people join through an invitation.

allauth's emails (sign-in codes) go through the outbox like every other email (gpvoice.jobs.mail).
They name the service and the person's group(s), never the host name (allauth's default, through
``get_current_site``), and each template says why it was sent (templates/account/email/).
"""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest

from gpvoice.jobs.mail import queue_email

from .selectors import group_names_for_email


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        return f"{settings.SERVICE_NAME}: {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        groups = join_names(group_names_for_email(email=email))
        context = {
            "email": email,
            "service_name": settings.SERVICE_NAME,
            "group_names": groups,
            # Who the email is from, as the reader knows it: their group on the service.
            "sender": f"{groups} on {settings.SERVICE_NAME}" if groups else settings.SERVICE_NAME,
            **context,
        }
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
