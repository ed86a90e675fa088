"""The public page as JSON on ``gpvoice.api`` (in its OpenAPI schema), and the signed statement.

No sign-in: these read only what the group chose to publish, and a group that has not opted in is
a 404 like any group that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle, BaseThrottle

from gpvoice.core import glance

from . import presenters, selectors, signing

_registered = False


class FigureOut(Schema):
    label: str
    value: str


class TableOut(Schema):
    head: list[str]
    rows: list[list[str]]
    caption: str = ""


class SectionOut(Schema):
    key: str
    title: str
    summary: list[FigureOut]
    table: TableOut | None = None
    href: str = ""
    href_text: str = ""
    data: dict[str, Any]


class GroupOut(Schema):
    slug: str
    name: str
    description: str


class KeyOut(Schema):
    algorithm: str
    key_id: str
    public_key: str
    pem: str


class PublicPageOut(Schema):
    group: GroupOut
    computed_at: datetime
    signing_key: KeyOut
    sections: list[SectionOut]


class Refusal(Schema):
    detail: str


def _group(slug: str) -> Any:
    try:
        return glance.public_group(slug)
    except Http404 as missing:
        raise HttpError(404, "No such public page") from missing


def public_page(request: HttpRequest, response: HttpResponse, slug: str) -> dict[str, Any]:
    """A group's public page: who it is, its footprint, members who agreed to be named, its mandate
    and the other sections it publishes, each with the link to how it was worked out."""
    group = _group(slug)
    view = selectors.public_view(group)
    key = signing.public_key(group)
    glance.public_cache(response)
    return {
        "group": {"slug": group.slug, "name": group.name, "description": group.description},
        "computed_at": view.computed_at,
        "signing_key": {
            "algorithm": signing.ALGORITHM,
            "key_id": key.id,
            "public_key": key.b64,
            "pem": key.pem,
        },
        "sections": [presenters.section_json(s) for s in view.sections],
    }


def mandate_statement(request: HttpRequest, response: HttpResponse, slug: str) -> Any:
    """The mandate as a statement signed with the group's Ed25519 key: keep it, and check it later."""
    statement = selectors.mandate_statement(_group(slug))
    if statement is None:
        raise HttpError(404, "This group has no mandate to state yet")
    glance.public_cache(response)
    return statement


def register() -> None:
    global _registered
    if _registered:
        return
    from gpvoice.api.api import api

    throttle: list[BaseThrottle] = [AnonRateThrottle("120/m")]
    api.get(
        "/public/{slug}",
        response={200: PublicPageOut, 404: Refusal},
        auth=None,
        throttle=throttle,
        summary="A group's public page",
        url_name="public_page",
    )(public_page)
    api.get(
        "/public/{slug}/mandate-statement",
        response={200: dict[str, Any], 404: Refusal},
        auth=None,
        throttle=throttle,
        summary="The signed statement of a group's mandate",
        url_name="mandate_statement",
    )(mandate_statement)
    _registered = True
