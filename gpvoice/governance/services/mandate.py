"""Terms of reference and the mandate: drafted, issued, put to the practices, answered."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.formats import when
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person
from gpvoice.directory.selectors import footprint_practices

from .. import aggregates, selectors
from ..models import Answer, MandateAnswer, MandateRound, TermsOfReference
from .common import GovernanceError, clean_text, lock_group, require_admin

TITLE_MAX = 200
BODY_MAX = 20_000


def _clean_terms(title: Any, body: Any) -> tuple[str, str]:
    return (
        clean_text(title, name="The title", limit=TITLE_MAX),
        clean_text(body, name="The text", limit=BODY_MAX),
    )


@transaction.atomic
def terms_create(*, group: LeadershipGroup, title: str, body: str, actor: Any) -> TermsOfReference:
    group = lock_group(group)  # one new version number at a time
    require_admin(group, actor, "draft terms of reference")
    title, body = _clean_terms(title, body)
    latest = TermsOfReference.objects.filter(group=group).aggregate(v=Max("version"))["v"] or 0
    terms = TermsOfReference.objects.create(group=group, version=latest + 1, title=title, body=body)
    audit.record(
        action="governance.terms.drafted",
        actor=actor,
        group=group,
        obj=terms,
        data={"version": terms.version},
    )
    return terms


@transaction.atomic
def terms_update(*, terms: TermsOfReference, title: str, body: str, actor: Any) -> TermsOfReference:
    # One writer per version: an edit and the issue cannot cross.
    terms = lock_row(TermsOfReference.objects.select_related("group"), pk=terms.pk)
    require_admin(terms.group, actor, "change terms of reference")
    if terms.is_issued:
        raise GovernanceError("An issued version cannot be changed. Draft a new version instead.")
    title, body = _clean_terms(title, body)
    changed = [name for name, new in (("title", title), ("body", body)) if getattr(terms, name) != new]
    terms.title, terms.body = title, body
    terms.save(update_fields=["title", "body"])
    audit.record(
        action="governance.terms.changed",
        actor=actor,
        group=terms.group,
        obj=terms,
        data={"version": terms.version, "changed": changed},
    )
    return terms


@transaction.atomic
def terms_issue(*, terms: TermsOfReference, actor: Any) -> TermsOfReference:
    terms = lock_row(TermsOfReference.objects.select_related("group"), pk=terms.pk)
    require_admin(terms.group, actor, "issue terms of reference")
    if terms.is_issued:
        raise GovernanceError("This version has already been issued.")
    terms.issued_at = timezone.now()
    terms.save(update_fields=["issued_at"])
    audit.record(
        action="governance.terms.issued",
        actor=actor,
        group=terms.group,
        obj=terms,
        data={"version": terms.version},
    )
    return terms


@transaction.atomic
def mandate_open(
    *, terms: TermsOfReference, closes_at: datetime, expires_on: date, actor: Any
) -> MandateRound:
    """Put issued terms to the practices. One round at a time: while a round is open, extend it
    (``mandate_extend``) rather than opening another."""
    # The group row serialises openings: two admins opening at once leave one round, and the
    # unique (group, number) constraint stands behind the lock.
    group = lock_group(terms.group)
    require_admin(group, actor, "put terms of reference to the practices")
    terms = TermsOfReference.objects.get(pk=terms.pk)
    if not terms.is_issued:
        raise GovernanceError("Issue this version before putting it to the practices.")
    _check_dates(closes_at, expires_on)
    current = selectors.current_round(group=group)
    if current is not None and current.is_open():
        raise GovernanceError(
            f"Ratification of {current.terms} is open until {when(current.closes_at)}. "
            "Extend it, or wait until it closes, before opening another."
        )
    number = (MandateRound.objects.filter(group=group).aggregate(n=Max("number"))["n"] or 0) + 1
    round = MandateRound.objects.create(
        group=group, terms=terms, number=number, closes_at=closes_at, expires_on=expires_on
    )
    aggregates.recount(round)  # every footprint practice starts "not answered"
    audit.record(
        action="governance.mandate.opened",
        actor=actor,
        group=group,
        obj=round,
        data={"version": terms.version, "closes_at": closes_at, "expires_on": expires_on},
    )
    return round


def _check_dates(closes_at: datetime, expires_on: date) -> None:
    if closes_at <= timezone.now():
        raise GovernanceError("The closing date must be in the future.")
    if expires_on <= timezone.localtime(closes_at).date():
        raise GovernanceError("The mandate must expire after ratification closes.")


@transaction.atomic
def mandate_extend(*, round: MandateRound, closes_at: datetime, expires_on: date, actor: Any) -> MandateRound:
    """Give practices longer to answer, and the mandate a later expiry, while ratification is open.

    Dates only move later: shortening would cut off practices that were told they had until the
    old date. A closed round is never reopened or extended: its answers were given on the terms
    and dates it had, so the group opens a new round instead.
    """
    # One writer per round: answers (which check the closing time) wait for the extension.
    round = lock_row(MandateRound.objects.select_related("group", "terms"), pk=round.pk)
    require_admin(round.group, actor, "extend ratification")
    if not round.is_open():
        raise GovernanceError(
            f"Ratification closed on {when(round.closes_at)}. Open a new round to ask the practices again."
        )
    if closes_at < round.closes_at:
        raise GovernanceError(f"The closing date can only move later than {when(round.closes_at)}.")
    if expires_on < round.expires_on:
        raise GovernanceError(f"The expiry can only move later than {round.expires_on:%d %B %Y}.")
    if closes_at == round.closes_at and expires_on == round.expires_on:
        raise GovernanceError("Those are the dates it already has. Choose a later date.")
    _check_dates(closes_at, expires_on)
    before = {"closes_at": round.closes_at, "expires_on": round.expires_on}
    round.closes_at, round.expires_on = closes_at, expires_on
    round.save(update_fields=["closes_at", "expires_on"])
    audit.record(
        action="governance.mandate.extended",
        actor=actor,
        group=round.group,
        obj=round,
        data={"from": before, "to": {"closes_at": closes_at, "expires_on": expires_on}},
    )
    return round


def mandate_answer(*, round: MandateRound, practice: Organisation, answer: str, user: Any) -> MandateAnswer:
    """Record a practice's answer, replacing its current one; every answer stays in history.

    The same signatory sending the same answer again (a replayed form, a double click) stores it
    once: the current answer is returned and nothing is written.
    """
    if answer not in Answer.values:
        raise GovernanceError("Choose agree, decline or abstain.")
    with transaction.atomic():
        # One answer at a time per round, so two signatories racing leave one current answer.
        round = lock_row(MandateRound.objects.select_related("group"), pk=round.pk)
        if not round.is_open():
            raise GovernanceError(f"Ratification closed on {when(round.closes_at)}.")
        # Read under the round's lock: the PCN and list size the coverage moves are current ones.
        held = (
            footprint_practices(group=round.group)
            .filter(pk=practice.pk)
            .values("pk", "pcn_id", "list_size")
            .first()
        )
        if held is None:
            raise GovernanceError(f"{practice.name} is not in {round.group.name}'s footprint.")
        person = Person.objects.filter(user=user).first() if user is not None else None
        if person is None or not selectors.signatory_practices(user=user).filter(pk=practice.pk).exists():
            raise GovernanceError(f"Only a signatory of {practice.name} can answer for it.")
        previous = MandateAnswer.objects.filter(round=round, practice=practice, is_current=True).first()
        if previous is not None and previous.answer == answer and previous.created_by_id == user.pk:
            return previous  # a replay of the answer already recorded
        if answer == Answer.WITHDRAWN and (previous is None or previous.answer != Answer.AGREE):
            raise GovernanceError("Only an agreement can be withdrawn.")
        if previous is not None:
            MandateAnswer.objects.filter(pk=previous.pk).update(is_current=False)
        recorded = MandateAnswer.objects.create(
            round=round, practice=practice, answer=answer, answered_by=person, created_by=user
        )
        aggregates.record_answer(
            round=round, practice=held, before=previous.answer if previous else "none", after=answer
        )
        audit.record(
            action="governance.mandate.withdrawn"
            if answer == Answer.WITHDRAWN
            else "governance.mandate.answered",
            actor=user,
            group=round.group,
            obj=recorded,
            data={
                "practice": practice.ods_code,
                "answer": answer,
                "replaces": previous.answer if previous else None,
            },
        )
    return recorded
