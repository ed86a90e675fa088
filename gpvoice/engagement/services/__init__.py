"""Every write in engagement: check, change and audit, in that order, in one transaction."""

from .bulletins import (
    BulletinError,
    bounce_record,
    bulletin_create,
    bulletin_send,
    bulletin_update,
    preference_set,
    unsubscribe,
)
from .consultations import (
    ConsultationError,
    consultation_close,
    consultation_create,
    consultation_open,
    question_add,
    question_remove,
    results_publish,
)
from .figures import engagement_refresh
from .responses import reminders_send, response_submit

__all__ = [
    "BulletinError",
    "bounce_record",
    "bulletin_create",
    "bulletin_send",
    "bulletin_update",
    "preference_set",
    "unsubscribe",
    "ConsultationError",
    "consultation_close",
    "consultation_create",
    "consultation_open",
    "engagement_refresh",
    "question_add",
    "question_remove",
    "reminders_send",
    "response_submit",
    "results_publish",
]
