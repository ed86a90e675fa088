"""What templates and the tally command show: status tags and the result as lines of text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from gpvoice.core.formats import day, when
from gpvoice.core.models import Membership

from .models import THRESHOLD_METHODS, Ballot, Kind, Method, Option, Status
from .results import NO_THRESHOLD
from .selectors import result_visible_to, rules_for

TAG_COLOURS = {
    Status.DRAFT: "grey",
    Status.SCHEDULED: "blue",
    Status.OPEN: "green",
    Status.CLOSED: "yellow",
    Status.PUBLISHED: "white",
    Status.CANCELLED: "red",
}


STATUS_LABELS: dict[str, str] = dict(Status.choices)
METHOD_LABELS: dict[str, str] = dict(Method.choices)


def status_tag(ballot: Ballot) -> dict[str, str]:
    return _tag(ballot.kind, ballot.status)


def _tag(kind: str, status: str) -> dict[str, str]:
    """The NHS.UK tag of a ballot's state: a show of hands is a record, a ballot has a status."""
    if kind == Kind.RECORDED:
        return {"text": "Recorded in the room", "classes": "nhsuk-tag--purple"}
    return {"text": STATUS_LABELS[status], "classes": f"nhsuk-tag--{TAG_COLOURS[Status(status)]}"}


@dataclass(frozen=True)
class ListRow:
    """A ballot as a row of the ballots list: fifty a page, so plain text worked out once."""

    pk: int
    title: str
    method: str  # the method's label, ", secret" added when it is
    tag: dict[str, str]
    when: str


def list_row(ballot: Mapping[str, Any]) -> ListRow:
    """A row of ``selectors.ballot_list_page``."""
    method = METHOD_LABELS.get(ballot["method"], ballot["method"]) + (
        ", secret" if ballot["is_secret"] else ""
    )
    if ballot["kind"] == Kind.RECORDED:
        moment = f"{ballot['meeting']}, {day(ballot['held_on'])}"
    elif ballot["closes_at"]:
        closed = ballot["status"] in (Status.CLOSED, Status.PUBLISHED)
        moment = f"{'Closed' if closed else 'Closes'} {when(ballot['closes_at'])}"
    else:
        moment = "Not scheduled"
    return ListRow(ballot["pk"], ballot["title"], method, _tag(ballot["kind"], ballot["status"]), moment)


def rule_rows(ballot: Ballot, options: list[Option]) -> list[dict[str, dict[str, str]]]:
    """The rules a ballot is held under, as summary-list rows: what electors are told up front."""
    rules = rules_for(ballot)
    quorum = [
        f"at least {ballot.quorum_practices_percent}% of electors vote"
        if ballot.quorum_practices_percent
        else "",
        f"practices covering at least {ballot.quorum_patients_percent}% of patients vote"
        if ballot.quorum_patients_percent
        else "",
    ]
    points = f", {ballot.points_allowance} points each" if ballot.points_allowance else ""
    fixed = "opened" if ballot.opened_at else "opens"
    secret = (
        "Yes: who voted is recorded, never how; each voter gets a receipt; each option's figures"
        f" are published only if at least {ballot.secret_min_turnout} vote"
        if ballot.is_secret
        else "No: once published, the group can see how each elector voted"
    )
    rows = [
        ("Options", ", ".join(o.label for o in options)),
        ("Method", ballot.get_method_display() + points),
        ("Electorate", f"{ballot.get_electorate_display()} (fixed when the ballot {fixed})"),
        ("Weighting", ballot.get_weighting_display()),
        ("Secret", secret),
        ("Threshold", rules.threshold_label if ballot.method in THRESHOLD_METHODS else NO_THRESHOLD),
        ("Quorum", "; ".join(q for q in quorum if q) or "None set"),
        ("Abstentions", "Count towards the quorum, not towards the threshold"),
        ("Ties", ballot.get_tie_break_display() + (f" (seed {ballot.tie_seed})" if ballot.tie_seed else "")),
        ("Opens", when(ballot.opens_at) or "Not set"),
        ("Closes", when(ballot.closes_at) or "Not set"),
    ]
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def describe_vote(content: dict[str, Any], labels: dict[str, str]) -> str:
    """A stored choice in words: 'Yes', 'A, C', 'B > A > C', 'A 60, B 40' or 'abstain'."""
    if content.get("abstain"):
        return "abstain"
    if "choice" in content:
        return labels[content["choice"]]
    if "approved" in content:
        return ", ".join(labels[o] for o in content["approved"])
    if "ranking" in content:
        return " > ".join(labels[o] for o in content["ranking"])
    return ", ".join(f"{labels[o]} {n}" for o, n in content.get("points", {}).items())


def turnout_by_patients(result: dict[str, Any]) -> str:
    """'6,000 of 10,000 (60.0%)', or for a secret ballot only its published range of the total."""
    turnout, electorate = result["turnout"], result["electorate"]
    if turnout["patients"] is None:
        return f"{turnout['patients_share']} of {electorate['patients']:,}"
    return f"{turnout['patients']:,} of {electorate['patients']:,} ({turnout['patients_share']})"


def result_lines(result: dict[str, Any]) -> list[str]:
    """The published figures as plain text, in the order the results page shows them."""
    turnout, electorate = result["turnout"], result["electorate"]
    lines = [
        f"Method: {result['method_label']}",
        f"Weighting: {result['weighting_label']}" + (" (secret ballot)" if result["secret"] else ""),
        f"Turnout: {turnout['count']} of {electorate['count']} ({turnout['count_share']})",
    ]
    if result["patients_apply"]:
        lines.append(f"Turnout by patients: {turnout_by_patients(result)}")
    abstentions = result["abstentions"]["count"]
    lines.append(
        f"Abstentions: {'withheld' if abstentions is None else abstentions}. {result['abstentions_note']}"
    )
    quorum = result["quorum"]
    if quorum["set"]:
        lines.append(f"Quorum: {'met' if quorum['met'] else 'not met'}")
    if result.get("withheld"):
        lines.append(result["withheld"])
    for row in result["options"]:
        parts = [row["label"]]
        if row["count"] is not None:
            parts.append(
                f"practices/members {row['count']}"
                + (f" ({row['count_share']})" if "count_share" in row else "")
            )
        if row["patients"] is not None:
            parts.append(f"patients {row['patients']:,}")
        if row["patients_share"]:
            parts.append(f"patient share {row['patients_share']}")
        lines.append("  " + ": ".join(parts[:1]) + (": " + ", ".join(parts[1:]) if parts[1:] else ""))
    for number, round_ in enumerate(result.get("rounds", []), start=1):
        counts = ", ".join(f"{label} {value}" for label, value in round_["counts"].items())
        out = f"; {round_['eliminated']} eliminated" if round_["eliminated"] else ""
        lines.append(f"Round {number}: {counts}; exhausted {round_['exhausted']}{out}")
    if "pairwise" in result:
        pairwise = result["pairwise"]
        lines.append("Pairwise (row preferred over column): " + " | ".join(pairwise["labels"]))
        for label, row in zip(pairwise["labels"], pairwise["matrix"], strict=True):
            lines.append(f"  {label}: " + " ".join("-" if v is None else str(v) for v in row))
    lines.append(f"Outcome: {result['outcome']['text']}")
    return lines


@dataclass(frozen=True)
class BallotActions:
    """What this member may do with this ballot: the template shows these, never roles."""

    can_manage: bool  # the officers' section of the page
    can_edit: bool
    can_schedule: bool
    can_unschedule: bool
    can_publish: bool
    can_cancel: bool
    can_extend: bool
    opens_now: bool  # scheduling this draft opens it at once: its opening time has passed
    can_see_result: bool
    can_see_participation: bool


def can_create(membership: Membership) -> bool:
    return membership.is_officer


def actions_for(ballot: Ballot, membership: Membership, now: datetime | None = None) -> BallotActions:
    now = now or timezone.now()
    officer = membership.is_officer
    own = officer and ballot.kind == Kind.BALLOT and not ballot.owner
    running = ballot.status in (Status.SCHEDULED, Status.OPEN) and not (
        ballot.closes_at and ballot.closes_at <= now
    )
    return BallotActions(
        can_manage=officer and ballot.kind == Kind.BALLOT,
        can_edit=own and ballot.status == Status.DRAFT,
        can_schedule=own and ballot.status == Status.DRAFT,
        can_unschedule=own and ballot.status == Status.SCHEDULED,
        can_publish=officer and ballot.kind == Kind.BALLOT and ballot.status == Status.CLOSED,
        can_cancel=own and running,
        can_extend=own and running,
        opens_now=ballot.status == Status.DRAFT and ballot.opens_at is not None and ballot.opens_at <= now,
        can_see_result=result_visible_to(ballot=ballot, membership=membership),
        can_see_participation=officer
        and ballot.kind == Kind.BALLOT
        and ballot.status in (Status.OPEN, Status.CLOSED, Status.PUBLISHED),
    )
