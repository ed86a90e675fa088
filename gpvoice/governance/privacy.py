"""Governance records that name a person or a user (core.personal_data). All are kept on
erasure: they point at the pseudonymised person or user."""

from __future__ import annotations

from gpvoice.core import personal_data as pd

from .models import (
    CategoryChange,
    DecisionCategory,
    ExecutiveDecision,
    MandateAnswer,
    RollEntry,
    TermsOfReference,
)

KEPT = "Kept (a governance record), pointing at the pseudonymised person or user."

pd.register(
    RollEntry,
    find=pd.by(person=["person"], user=["created_by"]),
    export=("group", "person", "status", "start", "end", "basis", "created_by"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    MandateAnswer,
    find=pd.by(person=["answered_by"], user=["created_by"]),
    export=("round", "practice", "answer", "answered_by", "created_by", "created_at", "is_current"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    ExecutiveDecision,
    find=pd.by(user=["decided_by"]),
    export=("group", "category", "title", "rationale", "amount", "status", "decided_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.declare_none(TermsOfReference, reason="The group's terms of reference, written in the group's name.")
pd.declare_none(DecisionCategory, reason="A line of the scheme of delegation: names a kind of decision.")
pd.register(
    CategoryChange,
    find=pd.by(user=["changed_by"]),
    export=("category", "kind", "authority", "spend_limit", "review_date", "note", "changed_at"),
    erase=pd.keep,
    erasure=KEPT,
)
