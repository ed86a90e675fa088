from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gpvoice.operations.services.privacy import DataProtectionError, person_erase, subject_for


class Command(BaseCommand):
    help = (
        "Pseudonymise a person (right to erasure): name, contact details and sign-in go; votes, "
        "answers, decisions, tallies and the audit log stay. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", help="The directory person's id (or the user's, with --user).")
        parser.add_argument("--user", action="store_true", help="ID is a user id (a user with no person).")
        parser.add_argument(
            "--reason", required=True, help="The request's reference (kept in the audit log; not the name)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = "user_id" if options["user"] else "person_id"
        try:
            report = person_erase(subject=subject_for(**{key: options["id"]}), reason=options["reason"])
        except DataProtectionError as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        self.stdout.write(self.style.SUCCESS(f"Erased: now {report.subject.pseudonym}."))
        for label, count in report.changed.items():
            self.stdout.write(f"  {label}: {count}")
