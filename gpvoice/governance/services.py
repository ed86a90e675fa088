"""Every governance write: checked, atomic, audited. Refusals say why, for a person."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
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

from . import selectors
from .models import (
    Answer,
    Authority,
    DecisionCategory,
    DecisionStatus,
    ExecutiveDecision,
    MandateAnswer,
    MandateRound,
    RollEntry,
    RollStatus,
    TermsOfReference,
)


class GovernanceError(Exception):
    """A refusal with a message fit to show the person who asked."""


class OutsidePowers(GovernanceError):
    """The executive may not take this decision; it can be referred to the group instead."""


# Roll ----------------------------------------------------------------------------------------


@transaction.atomic
def roll_add(*, group: LeadershipGroup, person: Person, status: str, actor: Any) -> RollEntry:
    eligibility = selectors.eligibility_of(person=person, group=group)
    audit.record(
        action="governance.eligibility.decided",
        actor=actor,
        group=group,
        obj=person,
        data={"requested": status, "may_be_core": eligibility.may_be_core, "reason": eligibility.reason},
    )
    if status == RollStatus.CORE and not eligibility.may_be_core:
        raise GovernanceError(f"{person.full_name} cannot be a core member. {eligibility.reason}")
    if RollEntry.objects.filter(group=group, person=person, end__isnull=True).exists():
        raise GovernanceError(f"{person.full_name} is already on the roll.")
    entry = RollEntry.objects.create(
        group=group, person=person, status=status, basis=eligibility.reason, created_by=actor
    )
    audit.record(
        action="governance.roll.added",
        actor=actor,
        group=group,
        obj=entry,
        data={"person": person.full_name, "status": status},
    )
    return entry


@transaction.atomic
def roll_end(*, entry: RollEntry, actor: Any, on: date | None = None) -> RollEntry:
    entry.end = on or timezone.localdate()
    entry.save(update_fields=["end"])
    audit.record(
        action="governance.roll.ended",
        actor=actor,
        group=entry.group,
        obj=entry,
        data={"person": entry.person.full_name, "status": entry.status},
    )
    return entry


# Terms of reference and mandate ------------------------------------------------------------


@transaction.atomic
def terms_create(*, group: LeadershipGroup, title: str, body: str, actor: Any) -> TermsOfReference:
    lock_row(LeadershipGroup.objects.all(), pk=group.pk)  # one new version number at a time
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
    terms = lock_row(TermsOfReference.objects.all(), pk=terms.pk)
    if terms.is_issued:
        raise GovernanceError("An issued version cannot be changed. Draft a new version instead.")
    terms.title, terms.body = title, body
    terms.save(update_fields=["title", "body"])
    return terms


@transaction.atomic
def terms_issue(*, terms: TermsOfReference, actor: Any) -> TermsOfReference:
    terms = lock_row(TermsOfReference.objects.all(), pk=terms.pk)
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
    if not terms.is_issued:
        raise GovernanceError("Issue this version before putting it to the practices.")
    if closes_at <= timezone.now():
        raise GovernanceError("The closing date must be in the future.")
    if expires_on <= closes_at.date():
        raise GovernanceError("The mandate must expire after ratification closes.")
    round = MandateRound.objects.create(
        group=terms.group, terms=terms, closes_at=closes_at, expires_on=expires_on
    )
    audit.record(
        action="governance.mandate.opened",
        actor=actor,
        group=terms.group,
        obj=round,
        data={"version": terms.version, "closes_at": closes_at, "expires_on": expires_on},
    )
    return round


def mandate_answer(*, round: MandateRound, practice: Organisation, answer: str, user: Any) -> MandateAnswer:
    """Record a practice's answer, replacing its current one; every answer stays in history."""
    if answer not in Answer.values:
        raise GovernanceError("Choose agree, decline or abstain.")
    with transaction.atomic():
        # One answer at a time per round, so two signatories racing leave one current answer.
        round = lock_row(MandateRound.objects.select_related("group"), pk=round.pk)
        if not round.is_open():
            raise GovernanceError(f"Ratification closed on {when(round.closes_at)}.")
        if not footprint_practices(group=round.group).filter(pk=practice.pk).exists():
            raise GovernanceError(f"{practice.name} is not in {round.group.name}'s footprint.")
        person = Person.objects.filter(user=user).first()
        if person is None or not selectors.signatory_practices(user=user).filter(pk=practice.pk).exists():
            raise GovernanceError(f"Only a signatory of {practice.name} can answer for it.")
        previous = MandateAnswer.objects.filter(round=round, practice=practice, is_current=True).first()
        if answer == Answer.WITHDRAWN and (previous is None or previous.answer != Answer.AGREE):
            raise GovernanceError("Only an agreement can be withdrawn.")
        if previous is not None:
            MandateAnswer.objects.filter(pk=previous.pk).update(is_current=False)
        recorded = MandateAnswer.objects.create(
            round=round, practice=practice, answer=answer, answered_by=person, created_by=user
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


# Delegation ----------------------------------------------------------------------------------


@transaction.atomic
def category_create(*, group: LeadershipGroup, actor: Any, name: str, **fields: Any) -> DecisionCategory:
    """A new category in the scheme of delegation; names are unique in a group, ignoring case."""
    lock_row(LeadershipGroup.objects.all(), pk=group.pk)  # one name check at a time
    if selectors.categories(group=group).filter(name__iexact=name).exists():
        raise GovernanceError("There is already a category with that name.")
    category = DecisionCategory.objects.create(group=group, name=name, **fields)
    audit.record(
        action="governance.category.created",
        actor=actor,
        group=group,
        obj=category,
        data={"name": name, "authority": category.authority},
    )
    return category


def check_powers(*, category: DecisionCategory, amount: Decimal | None) -> None:
    """Raise OutsidePowers, saying why, when the executive may not take this decision."""
    grace = selectors.settings_for(group=category.group).delegation_grace_days
    if category.authority != Authority.EXECUTIVE:
        raise OutsidePowers(
            f"Decisions on {category.name} belong to {category.get_authority_display().lower()}."
        )
    if category.spend_limit is not None and amount is not None and amount > category.spend_limit:
        raise OutsidePowers(
            f"£{amount:,.2f} is over the executive's limit of £{category.spend_limit:,.2f} "
            f"for {category.name}."
        )
    if category.beyond_grace(grace):
        raise OutsidePowers(
            f"The delegation for {category.name} was due for review on {category.review_date:%d %B %Y} "
            f"and has lapsed; the group must review it first."
        )


@transaction.atomic
def executive_decision_record(
    *, category: DecisionCategory, title: str, rationale: str, amount: Decimal | None, actor: Any
) -> ExecutiveDecision:
    check_powers(category=category, amount=amount)
    return _decision_create(category, title, rationale, amount, actor, status=DecisionStatus.TAKEN)


@transaction.atomic
def executive_decision_refer(
    *, category: DecisionCategory, title: str, rationale: str, amount: Decimal | None, actor: Any
) -> ExecutiveDecision:
    """Raise a decision outside the executive's powers for the group instead."""
    try:
        check_powers(category=category, amount=amount)
        reason = "Referred to the group by the executive."
    except OutsidePowers as refusal:
        reason = str(refusal)
    return _decision_create(
        category, title, rationale, amount, actor, status=DecisionStatus.REFERRED, reason=reason
    )


def _decision_create(
    category: DecisionCategory,
    title: str,
    rationale: str,
    amount: Decimal | None,
    actor: Any,
    *,
    status: DecisionStatus,
    reason: str = "",
) -> ExecutiveDecision:
    decision = ExecutiveDecision.objects.create(
        group=category.group,
        category=category,
        title=title,
        rationale=rationale,
        amount=amount,
        status=status,
        refusal_reason=reason[:300],
        decided_by=actor,
    )
    audit.record(
        action=f"governance.decision.{status.value}",
        actor=actor,
        group=category.group,
        obj=decision,
        data={"category": category.name, "title": title, "amount": amount, "reason": reason},
    )
    return decision


@transaction.atomic
def executive_decision_note(*, decision: ExecutiveDecision, actor: Any) -> ExecutiveDecision:
    updated = ExecutiveDecision.objects.filter(pk=decision.pk, noted_at__isnull=True).update(
        noted_at=timezone.now()
    )
    if updated:
        audit.record(action="governance.decision.noted", actor=actor, group=decision.group, obj=decision)
    decision.refresh_from_db()
    return decision
