"""What governance shows on a group's home page: the mandate, overdue delegation reviews and the
executive's decisions; and, for the to-do list, the ratification answers and declarations due."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core import rules, todo
from gpvoice.core.context import group_of, membership_of, per_request
from gpvoice.core.formats import day, when
from gpvoice.core.panels import register
from gpvoice.core.todo import Todo
from gpvoice.directory.me import me

from . import selectors
from .coverage import percent
from .models import Answer
from .selectors import DECLARATION_RENEWAL


def _round(request: HttpRequest) -> Any:
    """The group's current mandate round, read once for the home page's panel and to-dos."""
    group = group_of(request)
    return per_request(request, "governance.round", lambda: selectors.current_round(group=group))


def _my_practices(request: HttpRequest) -> list[Any]:
    """The footprint practices the person signs for, once for the home page: with each one's answer
    to the open ratification when there is one (``my_practices_in``)."""
    group = group_of(request)
    signs_for = me(request).signs_for
    if not signs_for:
        return []
    round = _round(request)
    open_round = round if round is not None and round.is_open() else None
    return per_request(
        request,
        "governance.my_practices",
        lambda: selectors.my_practices_in(group=group, user=request.user, round=open_round, among=signs_for),
    )


@register(shared=True)
def mandate_panel(request: HttpRequest) -> dict[str, Any]:
    group = group_of(request)
    status = selectors.mandate_status(group=group, round=_round(request))
    slug = group.slug
    links = [
        ("Mandate and coverage", reverse("governance:mandate", args=[slug])),
        ("Members and attendees", reverse("governance:roll", args=[slug])),
        ("Terms of reference", reverse("governance:terms_list", args=[slug])),
        ("Scheme of delegation", reverse("governance:delegation", args=[slug])),
    ]
    if status.coverage is None:
        return {
            "title": "No mandate yet",
            "lines": ["The terms of reference have not been put to the practices."],
            "links": links,
        }
    overall = status.coverage.overall
    line = (
        f"{percent(overall.share('agree', by='practices'))} of practices covering "
        f"{percent(overall.share('agree', by='patients'))} of patients have agreed."
    )
    title = "Acting with mandate" if status.with_mandate else "Not acting with mandate"
    return {"title": title, "lines": [line], "links": links}


@register(shared=True)
def delegation_review_panel(request: HttpRequest) -> dict[str, Any] | None:
    # Shown only to those who can act on it: the admins who change the scheme and record reviews.
    if not rules.is_admin(membership_of(request)):
        return None
    group = group_of(request)
    overdue = selectors.overdue_categories(group=group)
    if not overdue:
        return None
    names = ", ".join(c.name for c in overdue)
    return {
        "title": "Delegation reviews overdue",
        "warning": True,
        "lines": [f"The scheme of delegation is overdue for review: {names}."],
        "links": [("Review the scheme", reverse("governance:delegation", args=[group.slug]))],
    }


@register(shared=True)
def decisions_panel(request: HttpRequest) -> dict[str, Any]:
    """The feedback loop: what the executive decided that the group has not yet noted."""
    group = group_of(request)
    waiting, referred = selectors.decisions_waiting(group=group)
    lines = [
        f"{waiting} executive decision{'s' if waiting != 1 else ''} for the group to note."
        if waiting
        else "No executive decision is waiting to be noted."
    ]
    if referred:
        lines.append(
            f"{referred} decision{'s' if referred != 1 else ''} referred to the group by the executive."
        )
    return {
        "title": "Executive decisions",
        "lines": lines,
        "links": [("Executive decisions", reverse("governance:decisions", args=[group.slug]))],
    }


@todo.register_role
def signatory_lines(request: HttpRequest) -> list[str]:
    return [f"Signatory of {p.name}" for p in _my_practices(request)]


@todo.register
def ratification_to_do(request: HttpRequest) -> list[Todo]:
    """For the open ratification, one item per practice the person signs for (two queries)."""
    group = group_of(request)
    round = _round(request)
    if round is None or not round.is_open():
        return []
    href = reverse("governance:mandate", args=[group.slug])
    found = []
    for practice in _my_practices(request):
        answer = practice.current_answer
        done = answer is not None and answer != Answer.WITHDRAWN
        label = Answer(answer).label.lower() if answer else ""
        found.append(
            Todo(
                text=f"Answer the ratification of {round.terms} for {practice.name}",
                href=href,
                due=round.closes_at,
                done=done,
                done_text=f"{practice.name} answered “{label}” on {when(practice.answered_at)}."
                if done
                else "",
            )
        )
    return found


@todo.register
def declarations_to_do(request: HttpRequest) -> list[Todo]:
    """On the roll, a person declares their interests and renews them yearly (two queries)."""
    if me(request).person_id is None:
        return []  # only a person can be on the roll
    group = group_of(request)
    mine = selectors.my_roll_declarations(group=group, user=request.user)
    if mine is None:
        return []
    _, declarations = mine
    href = reverse("accounts:profile") + "#declarations"  # where a person declares and renews their own
    if not declarations:
        return [Todo(text="Declare your interests", href=href)]
    oldest = declarations[0].declared_on
    due_on = oldest + DECLARATION_RENEWAL
    if not any(selectors.declaration_due(d) for d in declarations):
        return []
    return [
        Todo(
            text=f"Renew your declaration of interests (last declared {day(oldest)}, due {day(due_on)})",
            href=href,
        )
    ]
