"""What every engagement page needs: the typed request, the crumbs, an id from a form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core.context import GroupRequest, group_crumbs


def g(request: HttpRequest) -> GroupRequest:
    return request  # type: ignore[return-value]


def crumbs(
    request: HttpRequest, section: str, name: str, *trail: tuple[str, str | None]
) -> list[dict[str, str]]:
    return group_crumbs(request, (section, reverse(name, args=[g(request).group.slug])), *trail)


def form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
