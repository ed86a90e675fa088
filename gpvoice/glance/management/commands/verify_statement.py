"""``gpvoice verify_statement <slug> <file>``: check a signed statement of a group's mandate."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gpvoice.core.models import LeadershipGroup
from gpvoice.glance import signing


class Command(BaseCommand):
    help = "Check a signed statement of a group's mandate against the group's key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        group = LeadershipGroup.objects.filter(slug=options["slug"]).first()
        if group is None:
            raise CommandError(f"No group {options['slug']!r}.")
        try:
            with open(options["file"], encoding="utf-8") as f:
                document = json.load(f)
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read the statement: {error}") from error
        try:
            statement = signing.verify(document, signing.known_keys(group))
        except signing.Unverified as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Good signature by {group.name}, stated at {statement['issued_at']}.")
        self.stdout.write(json.dumps(statement["mandate"], indent=2, sort_keys=True))
