"""What engagement shows on a group's home: its consultations and bulletins, and the signatory's
to-do items (an open consultation their practice has not answered)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core import todo
from gpvoice.core.formats import day
from gpvoice.core.panels import register
from gpvoice.directory.me import me

from . import selectors


@register(shared=True)
def engagement_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    links = [
        ("Bulletins", reverse("engagement:bulletins", args=[group.slug])),
        ("Consultations", reverse("engagement:consultations", args=[group.slug])),
    ]
    lines = ["News to the footprint's practices, and questions to them."]
    return {"title": "Bulletins and consultations", "lines": lines, "links": links}


@todo.register
def consultations_to_do(request: HttpRequest) -> list[todo.Todo]:
    if not me(request).signs_for:
        return []  # only a practice's signatory answers for it
    group = request.group  # type: ignore[attr-defined]
    practices = selectors.my_signatory_practices(group=group, user=request.user)
    items = []
    for consultation, rows in selectors.open_for(group=group, practices=practices):
        href = reverse("engagement:answer", args=[group.slug, consultation.pk])
        for practice, answered_at in rows:
            items.append(
                todo.Todo(
                    text=f"Answer “{consultation.title}” for {practice.name}",
                    href=f"{href}?practice={practice.pk}",
                    due=consultation.closes_at,
                    done=answered_at is not None,
                    done_text=f"Answered for {practice.name} on {day(answered_at.date())}"
                    if answered_at
                    else "",
                )
            )
    return items
