import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gpvoice.operations.services.privacy import DataProtectionError, person_export, subject_for


class Command(BaseCommand):
    help = "Write everything held about a person (subject access) as JSON. Audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", help="The directory person's id (or the user's, with --user).")
        parser.add_argument("--user", action="store_true", help="ID is a user id (a user with no person).")
        parser.add_argument("--output", "-o", type=Path, help="Write to this file instead of the console.")

    def handle(self, *args: Any, **options: Any) -> None:
        key = "user_id" if options["user"] else "person_id"
        try:
            document = person_export(subject=subject_for(**{key: options["id"]}))
        except DataProtectionError as exc:
            raise CommandError(str(exc)) from None
        text = json.dumps(document, indent=2, ensure_ascii=False)
        if options["output"]:
            options["output"].write_text(text + "\n", encoding="utf-8")
            self.stderr.write(
                f"Wrote {sum(map(len, document['records'].values()))} records to {options['output']}."
            )
        else:
            self.stdout.write(text)
