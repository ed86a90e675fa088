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
