"""Mandate coverage as pure arithmetic on exact fractions (never floats).

``compute`` is the reference recount from one row per practice (tests compare the stored counts
with it); ``Coverage.meets`` is the threshold rule, applied to the stored counts on every page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

ANSWERS = ("agree", "decline", "abstain", "withdrawn", "none")


@dataclass(frozen=True)
class PracticeAnswer:
    code: str
    name: str
    pcn: str  # PCN name, or "No PCN"
    patients: int
    answer: str  # one of ANSWERS


@dataclass
class Tally:
    practices: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ANSWERS, 0))
    patients: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ANSWERS, 0))

    @property
    def total_practices(self) -> int:
        return sum(self.practices.values())

    @property
    def total_patients(self) -> int:
        return sum(self.patients.values())

    def share(self, answer: str, *, by: str) -> Fraction:
        counts, total = (
            (self.practices, self.total_practices)
            if by == "practices"
            else (self.patients, self.total_patients)
        )
        return Fraction(counts[answer], total) if total else Fraction(0)


@dataclass
class Coverage:
    """The overall tally decides the mandate; ``by_pcn`` and ``not_answered`` are filled only
    where asked for (pages read PCN rows and unanswered practices a page at a time)."""

    overall: Tally
    by_pcn: dict[str, Tally] = field(default_factory=dict)
    not_answered: list[PracticeAnswer] = field(default_factory=list)

    def meets(self, *, practices: Fraction, patients: Fraction) -> bool:
        """More than ``practices`` of practices covering more than ``patients`` of patients agreed."""
        return (
            self.overall.total_practices > 0
            and self.overall.share("agree", by="practices") > practices
            and self.overall.share("agree", by="patients") > patients
        )


def compute(rows: Iterable[PracticeAnswer]) -> Coverage:
    overall, missing = Tally(), []
    by_pcn: dict[str, Tally] = {}
    for row in rows:
        for tally in (overall, by_pcn.setdefault(row.pcn, Tally())):
            tally.practices[row.answer] += 1
            tally.patients[row.answer] += row.patients
        if row.answer == "none":
            missing.append(row)
    return Coverage(overall, dict(sorted(by_pcn.items())), sorted(missing, key=lambda r: (r.pcn, r.name)))


def cells(practices: dict[str, int], patients: dict[str, int]) -> list[str]:
    """A coverage table's row as shown: "practices / patients" for each answer, in ``ANSWERS`` order
    (the mandate page writes 250 of these a page, cheaper here than in the template)."""
    return [f"{practices[a]} / {patients[a]:,}" for a in ANSWERS]


def percent(value: Fraction) -> str:
    """For display only: one decimal place, rounded half up."""
    tenths = (value * 1000 + Fraction(1, 2)).__floor__()
    return f"{tenths / 10:.1f}%"
