"""The one refusal every ballot service raises, and the checks every service shares.

Every write service checks the actor with these *under the ballot's (or group's) row lock*, so
the same rule holds from a page, the API, the back office and a command (the pattern of
``priorities/services/checks.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gpvoice.core.models import LeadershipGroup, Membership
from gpvoice.core.selectors import membership_in


class BallotError(Exception):
    """A refusal with a message fit to show the person who asked.

    ``problems`` lists each reason separately (a form shows them one by one); the message joins them.
    """

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems) or [message]

    @classmethod
    def of(cls, problems: Sequence[str]) -> BallotError:
        return cls(" ".join(problems), problems)


def require_officer(group: LeadershipGroup, user: Any) -> Membership:
    membership = membership_in(user=user, group=group)
    if membership is None or not membership.is_officer:
        raise BallotError(f"Only the officers of {group.name} (its admins and executive) can do this.")
    return membership


def require_member(group: LeadershipGroup, user: Any) -> Membership:
    membership = membership_in(user=user, group=group)
    if membership is None:
        raise BallotError(f"Only members of {group.name} can vote in its ballots.")
    return membership
