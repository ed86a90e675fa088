"""What a cast may contain, per method: checked once, stored normalised.

A stored choice is a small JSON object naming options by their id (as a string):
``{"abstain": true}``, ``{"choice": "12"}``, ``{"approved": ["12", "14"]}``,
``{"ranking": ["14", "12"]}`` (most preferred first; unranked options rank equal last) or
``{"points": {"12": 60, "14": 40}}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import tally
from .models import RANKED_METHODS, Method


class InvalidChoice(ValueError):
    """A cast that cannot be counted; the message says why, for the voter."""


def normalise(
    *, method: str, options: Sequence[str], content: Any, allowance: int | None = None
) -> dict[str, Any]:
    if not isinstance(content, dict) or not content:
        raise InvalidChoice("Choose an option, or abstain.")
    if content.get("abstain") is True:
        if len(content) != 1:
            raise InvalidChoice("An abstention cannot also choose options.")
        return {"abstain": True}
    known = set(options)

    def option_ids(values: Any, what: str) -> list[str]:
        if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
            raise InvalidChoice(f"The {what} is not in a form that can be counted.")
        ids = [str(v) for v in values]
        if any(i not in known for i in ids):
            raise InvalidChoice("That option is not on this ballot.")
        if len(set(ids)) != len(ids):
            raise InvalidChoice(f"Each option can appear only once in the {what}.")
        return ids

    if method in (Method.YES_NO, Method.SINGLE):
        if set(content) != {"choice"}:
            raise InvalidChoice("Choose one option, or abstain.")
        choice = content["choice"]
        if isinstance(choice, list):
            raise InvalidChoice("Choose only one option.")
        return {"choice": option_ids([choice], "choice")[0]}
    if method == Method.APPROVAL:
        if set(content) != {"approved"}:
            raise InvalidChoice("Choose the options you approve of, or abstain.")
        approved = option_ids(content["approved"], "approval")
        if not approved:
            raise InvalidChoice("Choose at least one option, or abstain.")
        return {"approved": sorted(approved, key=list(options).index)}
    if method in RANKED_METHODS:
        if set(content) != {"ranking"}:
            raise InvalidChoice("Rank the options in order of preference, or abstain.")
        ranking = option_ids(content["ranking"], "ranking")
        if not ranking:
            raise InvalidChoice("Rank at least one option, or abstain.")
        return {"ranking": ranking}
    if method == Method.POINTS:
        given = content.get("points")
        if set(content) != {"points"} or not isinstance(given, dict):
            raise InvalidChoice("Share your points between the options, or abstain.")
        option_ids(list(given), "points")
        if not all(type(v) is int for v in given.values()):
            raise InvalidChoice("Points must be whole numbers.")
        if any(v < 0 for v in given.values()):
            raise InvalidChoice("Points cannot be negative.")
        spent = sum(given.values())
        if allowance is not None and spent > allowance:
            raise InvalidChoice(f"You have {allowance} points to give; these add up to {spent}.")
        if spent == 0:
            raise InvalidChoice("Give at least one point, or abstain.")
        return {
            "points": {
                str(k): v
                for k, v in sorted(given.items(), key=lambda kv: list(options).index(str(kv[0])))
                if v
            }
        }
    raise InvalidChoice("This ballot's method is not known.")


def as_tally_ballot(content: dict[str, Any], weight: int) -> tally.Ballot:
    if content.get("abstain"):
        return tally.Ballot(weight=weight, abstain=True)
    if "choice" in content:
        return tally.Ballot(weight=weight, choice=content["choice"])
    if "approved" in content:
        return tally.Ballot(weight=weight, approved=frozenset(content["approved"]))
    if "ranking" in content:
        return tally.Ballot(weight=weight, ranking=tuple(content["ranking"]))
    return tally.Ballot(weight=weight, points=tuple(content["points"].items()))
