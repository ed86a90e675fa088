"""Minutes per item (optimistic locking), approval and corrections, decisions, actions and interests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.locking import lock_row
from gpvoice.core.selectors import membership_in
from gpvoice.directory.models import Person

from .. import selectors
from ..models import (
    TEXT_MAX,
    Action,
    ActionStatus,
    AgendaItem,
    Invitation,
    ItemInterest,
    ItemMinutes,
    MeetingDecision,
    MeetingStatus,
    MinutesCorrection,
)
from .checks import (
    MeetingError,
    actor_person_id,
    clean_text,
    lock_item,
    lock_meeting,
    require_officer,
    require_status,
)


class StaleMinutes(MeetingError):
    """The minutes changed since the editor opened them; their text is kept for them to merge."""


def _open_minutes(item: AgendaItem, meeting: Any) -> None:
    require_status(meeting, MeetingStatus.HELD, doing="write its minutes (mark the meeting held first)")
    if meeting.minutes_approved_at is not None:
        raise MeetingError("The minutes are approved and cannot be edited; record a correction instead.")


@transaction.atomic
def minutes_save(*, item: AgendaItem, text: str, version: int, actor: Any) -> ItemMinutes:
    """Save draft minutes of an item, from the ``version`` the editor opened; a stale save is refused."""
    item, meeting = lock_item(item)  # saves of one meeting's minutes queue on the meeting row
    require_officer(meeting.group, actor)
    _open_minutes(item, meeting)
    text = clean_text(text, name="The minutes", limit=TEXT_MAX, required=False)
    minutes = ItemMinutes.objects.filter(item=item).first() or ItemMinutes(item=item)
    if not isinstance(version, int) or version != minutes.version:
        raise StaleMinutes(
            "Someone else saved the minutes of this item since you opened them, so yours were not saved. "
            "Your text is still in the box: compare it with theirs, shown above, and save again."
        )
    minutes.text = text
    minutes.version += 1
    minutes.updated_by = actor
    minutes.updated_at = timezone.now()
    minutes.save()
    audit.record(
        action="meetings.minutes.saved",
        actor=actor,
        group=meeting.group,
        obj=item,
        data={"version": minutes.version},
    )
    return minutes


@transaction.atomic
def minutes_approve(*, meeting: Any, actor: Any) -> Any:
    """Approve a held meeting's minutes: from now on they are kept as they are, and corrected only."""
    meeting = lock_meeting(meeting)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.HELD, doing="approve its minutes")
    if meeting.minutes_approved_at is not None:
        raise MeetingError("The minutes are already approved.")
    meeting.minutes_approved_at = timezone.now()
    meeting.save(update_fields=["minutes_approved_at"])
    audit.record(action="meetings.minutes.approved", actor=actor, group=meeting.group, obj=meeting)
    return meeting


@transaction.atomic
def minutes_correct(*, item: AgendaItem, text: str, reason: str, actor: Any) -> MinutesCorrection:
    """A new version of approved minutes, with the reason; the approved text is kept beside it."""
    item, meeting = lock_item(item)
    require_officer(meeting.group, actor)
    if meeting.minutes_approved_at is None:
        raise MeetingError("The minutes are still a draft: edit them instead of correcting them.")
    text = clean_text(text, name="The corrected minutes", limit=TEXT_MAX)
    reason = clean_text(reason, name="The reason for the correction", limit=500)
    minutes = ItemMinutes.objects.filter(item=item).first() or ItemMinutes.objects.create(item=item)
    correction = MinutesCorrection.objects.create(minutes=minutes, text=text, reason=reason, created_by=actor)
    audit.record(
        action="meetings.minutes.corrected",
        actor=actor,
        group=meeting.group,
        obj=item,
        data={"reason": reason},
    )
    return correction


HANDS = (("for", "For"), ("against", "Against"), ("abstain", "Abstentions"))
HANDS_MAX = 100_000


def _hands(hands: Any, *, present: int) -> tuple[int, int, int]:
    """A show of hands as (for, against, abstain): whole numbers from 0, adding up to at most ``present``."""
    if not isinstance(hands, (tuple, list)) or len(hands) != len(HANDS):
        raise MeetingError("Give the show of hands as the numbers for, against and abstaining.")
    counts = []
    for value, (_, name) in zip(hands, HANDS, strict=True):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= HANDS_MAX:
            raise MeetingError(f"{name} in the show of hands must be a whole number, 0 or more.")
        counts.append(value)
    if sum(counts) > present:
        raise MeetingError(
            f"The show of hands counts {sum(counts)} votes, but only {present} "
            f"{'person was' if present == 1 else 'people were'} recorded as present: "
            "for, against and abstentions together cannot be more than that."
        )
    return counts[0], counts[1], counts[2]


def ballot_titled(*, group: Any, words: str) -> int:
    """The number of the one ballot of ``group`` a decision may rest on whose title holds every word
    given; none, or more than one, is refused, naming the numbers to choose from. A read: the
    number is checked again by ``decision_record`` under its lock."""
    found = selectors.linkable_ballots_titled(group=group, words=words)
    if len(found) == 1:
        return int(found[0].pk)
    if not found:
        raise MeetingError(
            f"No open or closed ballot of {group.name} has “{words}” in its title. "
            "Enter the ballot's number: the most recent are listed on this page."
        )
    shown = "; ".join(selectors.ballot_label(b) for b in found[: selectors.BALLOT_MATCHES_SHOWN])
    more = " and more" if len(found) > selectors.BALLOT_MATCHES_SHOWN else ""
    raise MeetingError(
        f"More than one ballot has “{words}” in its title ({shown}{more}). "
        "Enter the number of the one you mean."
    )


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    text: str,
    actor: Any,
    ballot_id: int | None = None,
    hands: tuple[int, int, int] | None = None,
) -> MeetingDecision:
    """A decision on an item, marked with whether the meeting was quorate when it was taken.

    It may link to a ballot of the meeting's group (open, closed or published), or record a show of hands
    whose for, against and abstain counts add up to no more than the people recorded present. Not both."""
    item, meeting = lock_item(item)  # attendance cannot change while the quorum is read
    require_officer(meeting.group, actor)
    _open_minutes(item, meeting)
    text = clean_text(text, name="The decision", limit=TEXT_MAX)
    if ballot_id is not None and hands is not None:
        raise MeetingError("Link the decision to a ballot or record a show of hands, not both.")
    ballot = None
    if ballot_id is not None:
        valid = isinstance(ballot_id, int) and not isinstance(ballot_id, bool)
        ballot = selectors.linkable_ballot(group=meeting.group, pk=ballot_id) if valid else None
        if ballot is None:
            raise MeetingError(
                f"Choose a ballot of {meeting.group.name} by its number or title: that ballot is not one of "
                "this group's open or closed ballots."
            )
    counts: tuple[int | None, int | None, int | None] = (None, None, None)
    if hands is not None:
        present = Invitation.objects.filter(meeting=meeting, attended=True).count()
        counts = _hands(hands, present=present)
    quorate = selectors.quorum_of(meeting=meeting).met
    decision = MeetingDecision.objects.create(
        item=item,
        text=text,
        quorate=quorate,
        ballot=ballot,
        hands_for=counts[0],
        hands_against=counts[1],
        hands_abstain=counts[2],
        created_by=actor,
    )
    data: dict[str, Any] = {"item": item.title, "quorate": quorate}
    if ballot is not None:
        data["ballot"] = ballot.pk
    if hands is not None:
        data["hands"] = dict(zip([key for key, _ in HANDS], counts, strict=True))
    audit.record(
        action="meetings.decision.recorded", actor=actor, group=meeting.group, obj=decision, data=data
    )
    return decision


@transaction.atomic
def action_create(
    *, item: AgendaItem, description: str, owner: Person | None, due_on: date | None, actor: Any
) -> Action:
    item, meeting = lock_item(item)
    require_officer(meeting.group, actor)
    _open_minutes(item, meeting)
    description = clean_text(description, name="The action", limit=500)
    if not isinstance(owner, Person) or not Invitation.objects.filter(meeting=meeting, person=owner).exists():
        raise MeetingError("Choose an owner from the people invited to the meeting.")
    if not isinstance(due_on, date) or isinstance(due_on, datetime):
        raise MeetingError("Enter the date the action is due.")
    if due_on < timezone.localdate():
        raise MeetingError("The action's due date must be today or later.")
    action = Action.objects.create(
        group=meeting.group, item=item, description=description, owner=owner, due_on=due_on, created_by=actor
    )
    audit.record(
        action="meetings.action.agreed",
        actor=actor,
        group=meeting.group,
        obj=action,
        data={"owner": owner.full_name, "due_on": due_on},
    )
    return action


@transaction.atomic
def action_status_set(*, action: Action, status: str, actor: Any) -> Action:
    """Done or dropped (or reopened), by an officer or the action's owner."""
    # One writer per action, so its status is the last one set.
    action = lock_row(Action.objects.select_related("group", "owner"), pk=action.pk)
    membership = membership_in(user=actor, group=action.group) if not rules.is_system(actor) else None
    owner = actor_person_id(actor) == action.owner_id
    if not rules.is_system(actor) and not (
        rules.is_officer(membership) or (membership is not None and owner)
    ):
        raise MeetingError(
            f"Only the group's officers or the action's owner, {action.owner.full_name}, can update it."
        )
    if status not in ActionStatus.values:
        raise MeetingError("Choose open, done or dropped.")
    action.status = status
    action.save(update_fields=["status"])
    audit.record(
        action="meetings.action.status_set",
        actor=actor,
        group=action.group,
        obj=action,
        data={"status": status},
    )
    return action


@transaction.atomic
def interest_declare(
    *, item: AgendaItem, nature: str, withdrew: bool, actor: Any, person: Person | None = None
) -> ItemInterest:
    """Declare an interest on an item, before or at the meeting; an officer may record one for an invitee."""
    item, meeting = lock_item(item)
    mine = actor_person_id(actor)
    if person is None or person.pk != mine:
        require_officer(meeting.group, actor)
    else:
        rules.require_member(meeting.group, actor, refuse=MeetingError)
    if person is None:
        raise MeetingError(
            "Your account is not linked to a person in the directory, so you cannot declare here."
        )
    require_status(meeting, MeetingStatus.PLANNED, MeetingStatus.HELD, doing="declare an interest")
    if meeting.minutes_approved_at is not None:
        raise MeetingError("The minutes are approved, so no more interests can be declared on this meeting.")
    if not Invitation.objects.filter(meeting=meeting, person=person).exists():
        raise MeetingError("Only people invited to the meeting declare interests on its items.")
    nature = clean_text(nature, name="The interest", limit=300)
    interest, _ = ItemInterest.objects.update_or_create(
        item=item, person=person, defaults={"nature": nature, "withdrew": bool(withdrew), "created_by": actor}
    )
    audit.record(
        action="meetings.interest.declared",
        actor=actor,
        group=meeting.group,
        obj=item,
        data={"person": person.full_name, "withdrew": bool(withdrew)},
    )
    return interest
