"""What every page's layout needs: the user's groups for the switcher and the current group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.shortcuts import render as django_render
from django.urls import reverse

from .models import LeadershipGroup, Membership
from .selectors import memberships_of

T = TypeVar("T")


def per_request(request: HttpRequest, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per request under ``key``: for the home page, where several apps' panels
    and to-dos ask the same question (the user's practices, the current mandate round)."""
    memo: dict[str, Any] = request.__dict__.setdefault("_gpvoice_per_request", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class GroupRequest(HttpRequest):
    """A request that ``core.permissions.group_member`` let through: its group and the member's
    membership are set on it (as healthchecks types its authenticated request)."""

    group: LeadershipGroup
    membership: Membership


def group_of(request: HttpRequest) -> LeadershipGroup:
    """The group of a request that passed ``group_member``."""
    return request.group  # type: ignore[attr-defined]


def membership_of(request: HttpRequest) -> Membership:
    """The member's membership in that group."""
    return request.membership  # type: ignore[attr-defined]


def page_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    form = extra.get("form")
    return {
        "user_memberships": _memberships(request),
        "current_group": getattr(request, "group", None),
        "current_membership": getattr(request, "membership", None),
        "form_has_errors": bool(form is not None and getattr(form, "errors", None)),
        **extra,
    }


def _memberships(request: HttpRequest) -> list[Membership]:
    """The user's groups for the switcher: read already by ``group_member`` on a group's pages."""
    known = getattr(request, "user_memberships", None)
    return known if known is not None else list(memberships_of(user=request.user))


def group_crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    """Breadcrumbs from the current group's home: ``trail`` is (text, link or None) pairs."""
    group = request.group  # type: ignore[attr-defined]
    home = {"text": group.name, "href": reverse("core:group_home", args=[group.slug])}
    return [home] + [{"text": text, **({"href": href} if href else {})} for text, href in trail]


def render(request: HttpRequest, template: str, status: int = 200, **extra: Any) -> Any:
    return django_render(request, template, page_context(request, **extra), status=status)
