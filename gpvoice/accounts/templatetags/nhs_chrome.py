"""Lets allauth's Django templates share the Jinja2 header and footer, so there is one of each."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from gpvoice.core.context import page_context

register = template.Library()


@register.simple_tag(takes_context=True)
def nhs_partial(context: Any, name: str) -> SafeString:
    request = context["request"]
    rendered = get_template(f"layouts/_{name}.jinja", using="jinja2").render(page_context(request), request)
    return mark_safe(rendered)  # noqa: S308 - Jinja2 output, already autoescaped


@register.simple_tag
def service_name() -> str:
    from django.conf import settings

    return str(settings.SERVICE_NAME)


@register.simple_tag(takes_context=True)
def strong_sign_in_reminder(context: Any) -> SafeString:
    """On allauth's pages (setting a password, an authenticator app), an officer still setting up
    their stronger sign-in gets a link back to the page that lists the steps left."""
    from django.urls import reverse
    from django.utils.html import format_html

    from gpvoice.accounts.officers import has_strong_sign_in
    from gpvoice.core.models import OFFICER_ROLES, Membership

    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False) or has_strong_sign_in(request):
        return mark_safe("")  # noqa: S308 - empty
    if not Membership.objects.filter(user=user, role__in=OFFICER_ROLES).exists():
        return mark_safe("")  # noqa: S308 - empty
    return format_html(
        '<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span>'
        '<p>Setting up your stronger sign-in? <a href="{}">See the steps left</a>.</p></div>',
        reverse("accounts:strong_sign_in_needed"),
    )
