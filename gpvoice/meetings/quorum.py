"""The quorum rule, as a pure function so its boundaries are pinned without a database."""

from __future__ import annotations

from dataclasses import dataclass


def needed(counted: int, num: int, den: int) -> int:
    """How many of ``counted`` members must attend: at least num/den of them, and never fewer than one.

    Integer arithmetic (a ceiling division), so 1/2 of 5 is 3 and 1/2 of 6 is 3: no rounding of floats.
    """
    return max(1, -(-counted * num // den))


@dataclass(frozen=True)
class Quorum:
    counted: int  # members who count towards the quorum
    present: int  # of those, how many attended
    needed: int

    @property
    def met(self) -> bool:
        return self.present >= self.needed

    @property
    def text(self) -> str:
        state = "met" if self.met else "not met"
        return f"Quorum {state}: {self.present} of {self.counted} present, {self.needed} needed."


def quorum(counted: int, present: int, num: int, den: int) -> Quorum:
    return Quorum(counted=counted, present=present, needed=needed(counted, num, den))
