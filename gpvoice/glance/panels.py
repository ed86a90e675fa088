"""The home panel: officers find the dashboard, the public page and the report; everyone their
consent to be named, and signatories their practice's record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core import rules
from gpvoice.core.panels import register


@register(shared=True)
def glance_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    slug = group.slug
    links = []
    if rules.is_officer(request.membership):  # type: ignore[attr-defined]
        links.append(("Dashboard", reverse("glance:dashboard", args=[slug])))
        links.append(("Public page settings", reverse("glance:public_settings", args=[slug])))
    links.append(("Annual report", reverse("glance:report", args=[slug])))
    links.append(("Your practice's record", reverse("glance:record", args=[slug])))
    if group.public_page:
        links.append(("The group's public page", reverse("glance:public", args=[slug])))
    links.append(("Being named on the public page", reverse("glance:consent", args=[slug])))
    return {
        "title": "At a glance",
        "lines": ["The group's figures, worked out from its records."],
        "links": links,
    }
