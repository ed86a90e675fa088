"""The group's public face: no sign-in, nothing personal beyond names and roles people agreed to show.

These views never read the signed-in user or the session, so a shared cache may keep them for a
minute (``Cache-Control: public, max-age=60``) and every visitor sees the same page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gpvoice.core import glance
from gpvoice.core.permissions import public

from . import presenters, selectors, signing
from .forms import VerifyForm


def _context(request: HttpRequest, group: Any, **extra: Any) -> dict[str, Any]:
    return {"group": group, "public_home": reverse("glance:public", args=[group.slug]), **extra}


@public
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = glance.public_group(slug)
    view = selectors.public_view(group)
    key = signing.public_key(group)
    page = render(
        request,
        "glance/public.jinja",
        _context(
            request,
            group,
            sections=[presenters.section_view(s) for s in view.sections],
            computed_at=view.computed_at,
            key=key,
            json_href=reverse("apiv1:public_page", args=[group.slug]),
            statement_href=reverse("apiv1:mandate_statement", args=[group.slug]),
            verify_href=reverse("glance:verify", args=[group.slug]),
            has_mandate=any(s.key == "mandate" and s.data for s in view.sections),
        ),
    )
    return glance.public_cache(page)


@public
def verify(request: HttpRequest, slug: str) -> HttpResponse:
    """Check a statement someone kept against this group's key: it answers on the same page, and
    changes nothing, so a POST here needs no redirect."""
    group = glance.public_group(slug)
    form = VerifyForm(request.POST or None)
    outcome: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            statement = signing.verify(form.cleaned_data["statement"], signing.known_keys(group))
            outcome = {"ok": True, "rows": _statement_rows(statement)}
        except signing.Unverified as refusal:
            outcome = {"ok": False, "reason": str(refusal)}
    response = render(
        request,
        "glance/verify.jinja",
        _context(
            request,
            group,
            form=form,
            outcome=outcome,
            key=signing.public_key(group),
            form_has_errors=bool(form.errors),
        ),
    )
    response["Cache-Control"] = "no-store"
    return response


def _statement_rows(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """What a good statement claims, as summary-list rows (text only: it is the group's own data)."""
    found = statement.get("mandate")
    mandate: dict[str, Any] = found if isinstance(found, dict) else {}
    rows = [
        ("Group", str(statement.get("group", {}).get("name", ""))),
        ("Stated at", str(statement.get("issued_at", ""))),
    ]
    rows += [(str(k).replace("_", " ").capitalize(), str(v)) for k, v in sorted(mandate.items())]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]
