"""The scheme of delegation and the executive's decisions within it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from .. import selectors
from ..models import Authority, CategoryChange, DecisionCategory, DecisionStatus, ExecutiveDecision
from .common import GovernanceError, OutsidePowers, clean_text, lock_group, require_admin, require_officer


@transaction.atomic
def category_create(*, group: LeadershipGroup, actor: Any, name: str, **fields: Any) -> DecisionCategory:
    """A new category in the scheme of delegation; names are unique in a group, ignoring case."""
    group = lock_group(group)  # one name check at a time
    require_admin(group, actor, "change the scheme of delegation")
    name = clean_text(name, name="The category's name", limit=200)
    if fields.get("authority") not in Authority.values:
        raise GovernanceError("Choose who decides: the executive, the group or the practices by ballot.")
    if selectors.categories(group=group).filter(name__iexact=name).exists():
        raise GovernanceError("There is already a category with that name.")
    category = DecisionCategory.objects.create(group=group, name=name, **fields)
    _history(category, CategoryChange.Kind.CREATED, actor)
    audit.record(
        action="governance.category.created",
        actor=actor,
        group=group,
        obj=category,
        data={"name": name, "authority": category.authority},
    )
    return category


def _history(category: DecisionCategory, kind: str, actor: Any, note: str = "") -> CategoryChange:
    return CategoryChange.objects.create(
        category=category,
        kind=kind,
        authority=category.authority,
        spend_limit=category.spend_limit,
        review_date=category.review_date,
        note=note,
        changed_by=actor,
    )


NOTE_MAX = 2000
SPEND_MAX = Decimal("9999999999.99")


def _lock_for_change(category: DecisionCategory, actor: Any) -> DecisionCategory:
    # One writer per category: a change, a review and a decision taken under it never interleave.
    category = lock_row(DecisionCategory.objects.select_related("group"), pk=category.pk)
    require_admin(category.group, actor, "change the scheme of delegation")
    return category


def _check_review_date(value: Any, *, future: bool) -> date:
    today = timezone.localdate()
    if not isinstance(value, date):
        raise GovernanceError("Enter the next review date.")
    if future and value <= today:
        raise GovernanceError("The next review date must be after today.")
    if value < today - timedelta(days=3650) or value > today + timedelta(days=3650):
        raise GovernanceError("Enter a review date within ten years of today.")
    return value


@transaction.atomic
def category_update(
    *,
    category: DecisionCategory,
    actor: Any,
    authority: Any,
    spend_limit: Any,
    review_date: Any,
    note: Any = "",
) -> DecisionCategory:
    """Change who decides, the spend ceiling or the review date; the line's history gains a row."""
    category = _lock_for_change(category, actor)
    if authority not in Authority.values:
        raise GovernanceError("Choose who decides: the executive, the group or the practices by ballot.")
    if spend_limit is not None and (
        not isinstance(spend_limit, Decimal) or not Decimal(0) <= spend_limit <= SPEND_MAX
    ):
        raise GovernanceError("Enter the spend ceiling as an amount in pounds, or leave it empty.")
    review_date = _check_review_date(review_date, future=False)
    note = clean_text(note, name="The note", limit=NOTE_MAX, required=False)
    was = {
        "authority": category.authority,
        "spend_limit": category.spend_limit,
        "review_date": category.review_date,
    }
    now = {"authority": authority, "spend_limit": spend_limit, "review_date": review_date}
    if was == now:
        raise GovernanceError("Nothing has changed: change who decides, the ceiling or the review date.")
    category.authority, category.spend_limit, category.review_date = authority, spend_limit, review_date
    category.save(update_fields=["authority", "spend_limit", "review_date"])
    _history(category, CategoryChange.Kind.CHANGED, actor, note)
    audit.record(
        action="governance.category.changed",
        actor=actor,
        group=category.group,
        obj=category,
        data={"name": category.name, "was": was, "now": now, "note": note},
    )
    return category


@transaction.atomic
def category_review_done(
    *, category: DecisionCategory, actor: Any, next_review: Any, note: Any = ""
) -> DecisionCategory:
    """Record that the group reviewed this line today, and when it is next due: the overdue
    warning clears because the review date moves on."""
    category = _lock_for_change(category, actor)
    next_review = _check_review_date(next_review, future=True)
    note = clean_text(note, name="The note", limit=NOTE_MAX, required=False)
    was = category.review_date
    category.review_date = next_review
    category.save(update_fields=["review_date"])
    _history(category, CategoryChange.Kind.REVIEWED, actor, note)
    audit.record(
        action="governance.category.reviewed",
        actor=actor,
        group=category.group,
        obj=category,
        data={"name": category.name, "was_due": was, "next_review": next_review, "note": note},
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


def _lock_category(category: DecisionCategory, actor: Any) -> DecisionCategory:
    # One writer per category: its authority, ceiling and review date hold while a decision is taken.
    category = lock_row(DecisionCategory.objects.select_related("group"), pk=category.pk)
    require_officer(category.group, actor, "record executive decisions")
    return category


@transaction.atomic
def executive_decision_record(
    *, category: DecisionCategory, title: str, rationale: str, amount: Decimal | None, actor: Any
) -> ExecutiveDecision:
    category = _lock_category(category, actor)
    check_powers(category=category, amount=amount)
    return _decision_create(category, title, rationale, amount, actor, status=DecisionStatus.TAKEN)


@transaction.atomic
def executive_decision_refer(
    *, category: DecisionCategory, title: str, rationale: str, amount: Decimal | None, actor: Any
) -> ExecutiveDecision:
    """Raise a decision outside the executive's powers for the group instead."""
    category = _lock_category(category, actor)
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
    title = clean_text(title, name="The decision", limit=200)
    rationale = clean_text(rationale, name="The rationale", limit=20_000)
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
    """The group notes a decision the executive took (an admin records it for the group)."""
    # One writer per decision: noting twice at once notes it once.
    decision = lock_row(ExecutiveDecision.objects.select_related("group"), pk=decision.pk)
    require_admin(decision.group, actor, "mark decisions as noted")
    if decision.status != DecisionStatus.TAKEN:
        raise GovernanceError("Only decisions the executive took are noted; referred ones go to the group.")
    if decision.noted_at is None:
        decision.noted_at = timezone.now()
        decision.save(update_fields=["noted_at"])
        audit.record(action="governance.decision.noted", actor=actor, group=decision.group, obj=decision)
    return decision
