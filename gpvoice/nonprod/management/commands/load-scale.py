import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gpvoice.core.scale import Part
from gpvoice.nonprod.scale import DEFAULTS, AlreadyLoaded, Options, load_scale
from gpvoice.nonprod.scale.directory import ScaleDataError


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Build a national-size workspace (every practice of the map, a group per sub-ICB location and "
        "ICB plus a national group, people, ballots, mandate rounds) for benchmarks. Runs once per database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=Path(
                os.environ.get("GPVOICE_SHARED_DATA", Path(settings.BASE_DIR).parent / "shared" / "data")
            ),
            help="Where the real NHS files are read from when present "
            "(default: $GPVOICE_SHARED_DATA, else ../shared/data).",
        )
        parser.add_argument(
            "--synthetic", action="store_true", help="Use a synthetic map even if the files exist."
        )
        parser.add_argument(
            "--practices", type=_positive, default=None, help="Default: every practice of the map."
        )
        parser.add_argument("--people", type=_positive, default=DEFAULTS["people"])
        parser.add_argument("--ballots", type=_positive, default=DEFAULTS["ballots"])
        parser.add_argument("--choices", type=_positive, default=DEFAULTS["choices"])
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = Options(
            data_dir=options["data_dir"],
            practices=options["practices"],
            people=options["people"],
            ballots=options["ballots"],
            choices=options["choices"],
            synthetic=options["synthetic"],
            seed=options["seed"],
        )
        self.stdout.write(f"load-scale on {connection.vendor} ({connection.settings_dict['NAME']})")
        started = time.perf_counter()
        try:
            parts = load_scale(chosen, self._report)
        except (AlreadyLoaded, ScaleDataError) as refusal:
            raise CommandError(str(refusal)) from refusal
        total = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Done in {total:.1f} s ({len(parts)} steps)."))

    def _report(self, part: Part) -> None:
        self.stdout.write(f"{part.name}: {part.seconds:.1f} s, {part.path}")
        for name, count in part.counts.items():
            self.stdout.write(f"    {name}: {count:,}")
