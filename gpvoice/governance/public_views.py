"""The lists behind the figures of a group's public page: no sign-in, only organisations and the
names and roles people agreed to publish; a group that has not opted in is a 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gpvoice.core import glance
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import public
from gpvoice.directory.selectors import footprint_practices

from . import glance_public


def _page(request: HttpRequest, group: Any, rows: Any, row: Any, **context: Any) -> HttpResponse:
    page = page_of(rows, request)
    response = render(
        request,
        "core/public_list.jinja",
        {
            "group": group,
            "public_home": reverse("glance:public", args=[group.slug]),
            "rows": [[{"text": c} for c in row(item)] for item in page.object_list],
            "caption": page_caption(page, context.pop("noun")),
            "pages": page_links(page, request),
            **context,
        },
    )
    return glance.public_cache(response)


def _practice(p: Any) -> list[str]:
    return [p.name, p.ods_code, p.pcn.name if p.pcn else "No PCN", f"{p.list_size or 0:,}"]


PRACTICE_HEAD = [{"text": "Practice"}, {"text": "ODS code"}, {"text": "PCN"}, {"text": "Registered patients"}]


@public
def agreed(request: HttpRequest, slug: str) -> HttpResponse:
    group = glance.public_group(slug)
    return _page(
        request,
        group,
        glance_public.agreed_practices(group),
        _practice,
        title="Practices that agreed to the group's terms",
        intro=[
            "Each practice's signatory answers for the practice. These practices' current answer to the "
            "latest terms of reference is “agree”; the share of patients counts their registered patients."
        ],
        head=PRACTICE_HEAD,
        noun="practices",
        empty="No practice has agreed yet.",
    )


@public
def footprint(request: HttpRequest, slug: str) -> HttpResponse:
    group = glance.public_group(slug)
    rows = footprint_practices(group=group).select_related("pcn").order_by("name", "pk")
    return _page(
        request,
        group,
        rows,
        _practice,
        title="The practices the group speaks for",
        intro=[
            "The open practices of the group's footprint, with their registered patients from the latest "
            "NHS list."
        ],
        head=PRACTICE_HEAD,
        noun="practices",
        empty="The group's footprint has no practices yet.",
    )


@public
def members(request: HttpRequest, slug: str) -> HttpResponse:
    group = glance.public_group(slug)
    return _page(
        request,
        group,
        glance_public.named_roll(group),
        glance_public.roster_row,
        title="Core members and attendees",
        intro=[
            "Core members vote and must act on behalf of practices (for example a PCN clinical director or "
            "an LMC officer). Attendees take part without a vote, often because they hold a system role.",
            "Only people who agreed to be named are listed.",
        ],
        head=[{"text": "Name"}, {"text": "Status"}, {"text": "Why"}],
        noun="people",
        empty="Nobody on the roll has agreed to be named yet.",
    )
