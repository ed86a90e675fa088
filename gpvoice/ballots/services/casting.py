"""Casting: who may vote for which elector, and storing open and secret ballots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.directory.models import Organisation
from gpvoice.governance.selectors import signatory_practices

from .. import contents, sealing
from ..models import (
    Ballot,
    Elector,
    Electorate,
    Kind,
    Option,
    Participation,
    SealedChoice,
    Status,
    Vote,
)
from .clock import advance
from .refusals import BallotError, require_member


@dataclass(frozen=True)
class CastReceipt:
    ballot: Ballot
    elector: Elector
    receipt: str | None  # secret ballots only: shown once, never stored in clear
    replaced: bool


def electors_for(*, ballot: Ballot, user: Any) -> list[Elector]:
    """The electors this user may cast for: practices they sign for, or themselves as a member."""
    if not getattr(user, "is_authenticated", False):
        return []
    if ballot.electorate == Electorate.PRACTICES:
        return list(
            Elector.objects.filter(ballot=ballot, practice__in=signatory_practices(user=user))
            .select_related("practice")  # the vote page names and matches each by its practice
            .order_by("label")
        )
    return list(Elector.objects.filter(ballot=ballot, person__user=user))


def ballot_cast(
    *,
    ballot: Ballot,
    user: Any,
    content: Any,
    practice: Organisation | None = None,
    practice_code: str | None = None,
) -> CastReceipt:
    """Record a vote for one of the electors the user may cast for: ``practice`` (or the practice
    whose ODS code is ``practice_code``, as a form posts it) chooses among the practices they sign
    for; with neither, the one they sign for."""
    advance(ballot=ballot)
    with transaction.atomic():
        ballot = lock_row(Ballot.objects.select_related("group"), pk=ballot.pk)
        now = timezone.now()
        if ballot.kind != Kind.BALLOT:
            raise BallotError("A recorded show of hands takes no votes.")
        if ballot.status == Status.CANCELLED:
            raise BallotError(
                f"This ballot was cancelled, and no vote will be counted: {ballot.cancel_reason}"
            )
        if not ballot.accepts_votes_at(now):
            if ballot.status in (Status.DRAFT, Status.SCHEDULED):
                raise BallotError("This ballot is not open yet.")
            raise BallotError("This ballot has closed; votes can no longer be cast.")
        mine = electors_for(ballot=ballot, user=user)
        if mine:
            require_member(ballot.group, user)  # a signatory votes here only as one of the group
        if ballot.electorate == Electorate.PRACTICES:
            if practice is not None:
                mine = [e for e in mine if e.practice_id == practice.pk]
            elif practice_code:
                mine = [e for e in mine if e.practice and e.practice.ods_code == practice_code]
                if not mine:
                    raise BallotError("You do not sign for that practice in this ballot.")
            elif len(mine) > 1:
                raise BallotError("You sign for more than one practice: choose which one this vote is for.")
            if not mine:
                raise BallotError(
                    "Only a signatory of a practice in this ballot's electorate can vote for it."
                )
        elif not mine:
            raise BallotError("Only the group's core members at the time the ballot opened can vote.")
        elector = mine[0]
        option_ids = [str(pk) for pk in Option.objects.filter(ballot=ballot).values_list("pk", flat=True)]
        try:
            choice = contents.normalise(
                method=ballot.method, options=option_ids, content=content, allowance=ballot.points_allowance
            )
        except contents.InvalidChoice as refusal:
            raise BallotError(str(refusal)) from refusal
        if ballot.is_secret:
            receipt, replaced = _cast_secret(ballot, elector, choice, user)
        else:
            receipt, replaced = None, _cast_open(ballot, elector, choice, user, now)
    return CastReceipt(ballot, elector, receipt, replaced)


def _cast_open(ballot: Ballot, elector: Elector, choice: dict[str, Any], user: Any, now: datetime) -> bool:
    # Read under the ballot's lock, so no other cast for this elector runs between read and write.
    current = Vote.objects.filter(elector=elector, is_current=True).first()
    if current is not None and current.content == choice and current.cast_by_id == user.pk:
        # The same signatory sending the same vote again (a retried request whose answer was lost,
        # a double click) stores it once, as a mandate answer does: nothing is written.
        return False
    replaced = current is not None
    if current is not None:
        Vote.objects.filter(pk=current.pk).update(is_current=False)
    vote = Vote.objects.create(ballot=ballot, elector=elector, content=choice, cast_by=user, cast_at=now)
    audit.record(
        action="ballots.vote.cast",
        actor=user,
        group=ballot.group,
        obj=vote,
        data={"ballot": ballot.pk, "elector": elector.label, "choice": choice, "replaces_earlier": replaced},
    )
    return replaced


def _cast_secret(ballot: Ballot, elector: Elector, choice: dict[str, Any], user: Any) -> tuple[str, bool]:
    seal = sealing.seal(ballot_id=ballot.pk, elector_id=elector.pk)
    # The earlier cast may have been sealed under a key since rotated out: look under every key.
    earlier = sealing.seals(ballot_id=ballot.pk, elector_id=elector.pk)
    replaced = SealedChoice.objects.filter(ballot=ballot, seal__in=earlier).delete()[0] > 0
    receipt = sealing.new_receipt()
    SealedChoice.objects.create(
        ballot=ballot,
        seal=seal,
        receipt_digest=sealing.receipt_digest(receipt),
        content=choice,
        sealed_weight=sealing.seal_weight(ballot_id=ballot.pk, weight=elector.weight),
    )
    participation, created = Participation.objects.get_or_create(
        ballot=ballot, elector=elector, defaults={"cast_by": user}
    )
    if not created:
        Participation.objects.filter(pk=participation.pk).update(cast_by=user, casts=participation.casts + 1)
    # The audit entry says that this elector voted, never what: it must not undo the secrecy.
    audit.record(
        action="ballots.vote.cast_secret",
        actor=user,
        group=ballot.group,
        obj=ballot,
        data={"elector": elector.label, "replaces_earlier": replaced},
    )
    return receipt, replaced
