"""The shared body of the four `gpvoice import-…` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from . import IMPORTERS, import_file
from .progress import ProgressBar


class ImportCommand(BaseCommand):
    importer: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; change nothing.")

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        self.stdout.write(f"{IMPORTERS[self.importer].title}: {file}")
        bar = ProgressBar(total=max(1, file.stat().st_size // 200))
        report = import_file(self.importer, file, apply=not dry_run, progress=bar)
        bar.close()
        for line in report.summary_lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("The file was rejected; nothing was imported.")
