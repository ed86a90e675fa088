"""Engagement records that name a person or a user (core.personal_data)."""

from __future__ import annotations

from gpvoice.core import personal_data as pd

from .models import AnswerCount, Consultation, ConsultationReminder, Question, Response

KEPT = (
    "Kept (the group's record of who answered for a practice), pointing at the pseudonymised person or user."
)

pd.register(
    Response,
    find=pd.by(person=["person"], user=["created_by"]),
    export=("consultation", "practice", "answers", "is_current", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    Consultation,
    find=pd.by(user=["created_by"]),
    export=("group", "title", "status", "closes_at", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    ConsultationReminder,
    find=pd.by(person=["person"]),
    export=("consultation", "sent_at"),
    erase=pd.delete,
    erasure="Deleted: a reminder to a person is of no use once they are erased.",
)
pd.declare_none(Question, reason="A question the group asks; it names no person.")
pd.declare_none(AnswerCount, reason="Counts of answers per PCN; no person.")

# Bulletins and the engagement view ------------------------------------------------------------
from .models import (  # noqa: E402
    Bulletin,
    BulletinDelivery,
    BulletinPreference,
    Digest,
    PcnEngagement,
    PracticeEngagement,
)

pd.register(
    Bulletin,
    find=pd.by(user=["created_by"]),
    export=("group", "title", "sent_at"),
    erase=pd.keep,
    erasure="Kept (the group's bulletins), pointing at the pseudonymised user who wrote it.",
)
pd.register(
    BulletinPreference,
    find=pd.by(person=["person"]),
    export=("category", "frequency", "updated_at"),
    erase=pd.delete,
    erasure="Deleted: the person's choices of email.",
)
pd.register(
    BulletinDelivery,
    find=pd.by(person=["person"], email=["address"]),
    export=("bulletin", "address", "state", "sent_at", "read_at", "bounced_at"),
    erase=pd.replace(address=lambda s: s.erased_email, error=""),
    erasure="Address replaced: the count of bulletins sent and read stays, no longer linked to an address.",
)
pd.register(
    Digest,
    find=pd.by(person=["person"]),
    export=("period", "bulletins", "sent_at"),
    erase=pd.delete,
    erasure="Deleted: a record that a digest was sent.",
)
pd.declare_none(PracticeEngagement, reason="Counts of a practice's taking part; no person.")
pd.declare_none(PcnEngagement, reason="Counts of a PCN's taking part; no person.")
