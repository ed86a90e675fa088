"""Every write in engagement: check, change and audit, in that order, in one transaction."""

from .consultations import (
    ConsultationError,
    consultation_close,
    consultation_create,
    consultation_open,
    question_add,
    question_remove,
    results_publish,
)
from .responses import reminders_send, response_submit

__all__ = [
    "ConsultationError",
    "consultation_close",
    "consultation_create",
    "consultation_open",
    "question_add",
    "question_remove",
    "reminders_send",
    "response_submit",
    "results_publish",
]
