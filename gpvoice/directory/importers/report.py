"""What an import found and did: the dry-run summary and the line-numbered problems."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR_CAP = 50


@dataclass
class Problems:
    messages: list[str] = field(default_factory=list)
    total: int = 0

    def add(self, line: int, message: str) -> None:
        self.total += 1
        if len(self.messages) < ERROR_CAP:
            self.messages.append(f"Line {line}: {message}")

    def __bool__(self) -> bool:
        return self.total > 0

    def lines(self) -> list[str]:
        extra = self.total - len(self.messages)
        return self.messages + ([f"… and {extra} more problems."] if extra > 0 else [])


@dataclass
class ImportReport:
    importer: str
    layout: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    closed: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_reason: str = ""
    applied: bool = False
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.closed)

    def summary_lines(self) -> list[str]:
        lines = [f"Layout: {self.layout}", f"Rows read: {self.rows}"]
        if not self.ok:
            total = self.problems.total
            lines.append(f"Rejected: {total} problem{'' if total == 1 else 's'}; nothing was imported.")
            return lines + self.problems.lines()
        lines += [
            f"New: {self.new}",
            f"Changed: {self.changed}",
            f"Closed: {self.closed}",
            f"Unchanged: {self.unchanged}",
            f"Skipped: {self.skipped}" + (f" ({self.skipped_reason})" if self.skipped else ""),
        ]
        lines.append("Applied." if self.applied else "Dry run: nothing was changed.")
        return lines
