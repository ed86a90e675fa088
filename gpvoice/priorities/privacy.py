"""Priority-setting records that name a person or a user (core.personal_data)."""

from __future__ import annotations

from gpvoice.core import personal_data as pd

from .models import AdoptedPriority, Candidate, DeliveryUpdate, Nomination, PhaseChange, PriorityRound

KEPT = "Kept (a governance record), pointing at the pseudonymised person or user."

pd.register(
    PriorityRound,
    find=pd.by(user=["created_by"]),
    export=("group", "title", "phase", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    PhaseChange,
    find=pd.by(user=["created_by"]),
    export=("round", "phase", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    Nomination,
    find=pd.by(user=["proposed_by"]),
    export=("round", "title", "rationale", "proposer_name", "on_behalf_of", "created_at"),
    erase=pd.replace(proposer_name=lambda s: s.pseudonym),
    erasure="The proposer's name, copied when the nomination was made, becomes the pseudonym.",
)
pd.register(
    AdoptedPriority,
    find=pd.by(person=["lead"], user=["adopted_by"]),
    export=("round", "title", "rank", "lead", "review_date", "status", "adopted_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    DeliveryUpdate,
    find=pd.by(user=["created_by"]),
    export=("priority", "status", "text", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.declare_none(Candidate, reason="An option for scoring; who proposed it stays on its nominations.")
