"""What the single point of access shows at a glance (issue 18): its door on the public page, open
requests against the service level on the dashboard, a practice's requests on its record."""

from __future__ import annotations

from django.urls import reverse

from gpvoice.core import glance
from gpvoice.core.glance import Section
from gpvoice.core.models import LeadershipGroup


def door_section(group: LeadershipGroup) -> Section:
    href = reverse("intake:front_door", args=[group.slug])
    return Section(
        key="single_point_of_access",
        title="Ask the group",
        summary=[("Single point of access", "System partners send requests here; no account is needed.")],
        href=href,
        href_text="Send a request to the group",
        data={"url": href},
    )


def register() -> None:
    glance.register_public("single_point_of_access", door_section, order=90)
