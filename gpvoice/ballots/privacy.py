"""Ballot records that name a person or a user (core.personal_data). Votes, participation and
results are kept on erasure, so every tally still recounts exactly."""

from __future__ import annotations

from gpvoice.core import personal_data as pd

from .models import Ballot, Elector, Option, Participation, SealedChoice, Vote

KEPT = "Kept (a governance record), pointing at the pseudonymised person or user."

pd.register(
    Ballot,
    find=pd.by(user=["created_by", "cancelled_by"], person=["present"]),
    export=("group", "title", "kind", "status", "held_on", "meeting", "created_at"),
    erase=pd.keep,
    erasure="Kept: ballots they drafted or cancelled, and shows of hands they were present at.",
)
pd.register(
    Elector,
    find=pd.by(person=["person"]),
    export=("ballot", "label", "weight"),
    erase=pd.replace(label=lambda s: s.pseudonym),
    erasure="A core member's elector label (their name, frozen at opening) becomes the pseudonym.",
)
pd.register(
    Vote,
    find=pd.by(user=["cast_by"]),
    export=("ballot", "elector", "content", "is_current", "cast_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    Participation,
    find=pd.by(user=["cast_by"]),
    export=("ballot", "elector", "casts"),  # never a choice: there is no link to one (ADR 3)
    erase=pd.keep,
    erasure=KEPT,
)
pd.declare_none(
    Option,
    reason="The wording of a ballot's options. A candidate's name on an election ballot is part "
    "of the result, which must recount exactly (ADR 6).",
)
pd.declare_none(SealedChoice, reason="No link to any person by design (ADR 3); the weight is ciphertext.")
