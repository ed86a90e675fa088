"""What every page's layout needs: the user's groups for the switcher and the current group."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import render as django_render

from .selectors import memberships_of


def page_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    form = extra.get("form")
    return {
        "user_memberships": list(memberships_of(user=request.user)),
        "current_group": getattr(request, "group", None),
        "current_membership": getattr(request, "membership", None),
        "form_has_errors": bool(form is not None and getattr(form, "errors", None)),
        **extra,
    }


def render(request: HttpRequest, template: str, status: int = 200, **extra: Any) -> Any:
    return django_render(request, template, page_context(request, **extra), status=status)
