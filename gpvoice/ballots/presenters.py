"""What templates and the tally command show: status tags and the result as lines of text."""

from __future__ import annotations

from typing import Any

from .models import Ballot, Kind, Status

TAG_COLOURS = {
    Status.DRAFT: "grey",
    Status.SCHEDULED: "blue",
    Status.OPEN: "green",
    Status.CLOSED: "yellow",
    Status.PUBLISHED: "white",
}


def status_tag(ballot: Ballot) -> dict[str, str]:
    if ballot.kind == Kind.RECORDED:
        return {"text": "Recorded in the room", "classes": "nhsuk-tag--purple"}
    return {
        "text": ballot.get_status_display(),
        "classes": f"nhsuk-tag--{TAG_COLOURS[Status(ballot.status)]}",
    }


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


def result_lines(result: dict[str, Any]) -> list[str]:
    """The published figures as plain text, in the order the results page shows them."""
    turnout, electorate = result["turnout"], result["electorate"]
    lines = [
        f"Method: {result['method_label']}",
        f"Weighting: {result['weighting_label']}" + (" (secret ballot)" if result["secret"] else ""),
        f"Turnout: {turnout['count']} of {electorate['count']} ({turnout['count_share']})",
    ]
    if result["patients_apply"]:
        lines.append(
            f"Turnout by patients: {turnout['patients']:,} of {electorate['patients']:,}"
            f" ({turnout['patients_share']})"
        )
    lines.append(f"Abstentions: {result['abstentions']['count']}. {result['abstentions_note']}")
    quorum = result["quorum"]
    if quorum["set"]:
        lines.append(f"Quorum: {'met' if quorum['met'] else 'not met'}")
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
