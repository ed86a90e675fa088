import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gpvoice.ballots.models import Ballot, Kind, Status
from gpvoice.ballots.presenters import result_lines
from gpvoice.ballots.sealing import SealError
from gpvoice.ballots.services import compute_result


class Command(BaseCommand):
    help = (
        "Recompute a closed ballot's result from its stored ballots, print it, "
        "and compare it with the stored result."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ballot_id", type=int)
        parser.add_argument("--json", action="store_true", help="Print the recomputed result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        ballot = Ballot.objects.filter(pk=options["ballot_id"]).select_related("group").first()
        if ballot is None:
            raise CommandError(f"No ballot {options['ballot_id']}.")
        if ballot.kind == Kind.RECORDED:
            raise CommandError("A recorded show of hands has no stored ballots to recount.")
        if ballot.status not in (Status.CLOSED, Status.PUBLISHED):
            raise CommandError(f"Ballot {ballot.pk} is {ballot.status}: results are counted once it closes.")
        try:
            result = compute_result(ballot=ballot)
        except SealError as error:
            raise CommandError(f"Ballot {ballot.pk} cannot be recounted: {error}") from error
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(f"{ballot.group.name}: {ballot.title} (ballot {ballot.pk})")
            for line in result_lines(result):
                self.stdout.write(line)
        if result != ballot.result:
            raise CommandError("The recount differs from the stored result.")
        self.stdout.write(self.style.SUCCESS("Recount matches the stored result."))
