"""Answering a consultation (one current response per practice, history kept) and the reminders."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.formats import when
from gpvoice.core.locking import lock_row
from gpvoice.directory.models import Organisation, Person
from gpvoice.directory.selectors import footprint_practices
from gpvoice.jobs.mail import queue_email

from .. import answers as answer_rules
from ..models import AnswerCount, Consultation, ConsultationReminder, ConsultationStatus, Question, Response
from ..recipients import current_appointments, signatory_addresses
from .checks import ConsultationError

REMIND_BEFORE = timedelta(days=3)


class AnswersInvalid(ConsultationError):
    """Some answers were refused; ``errors`` maps question pk (text) to the message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Check your answers.")
        self.errors = errors


def _respondent(
    consultation: Consultation, practice: Organisation | None, actor: Any
) -> tuple[Person, Organisation]:
    person = Person.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    if person is None:
        raise ConsultationError("Only people in the group's directory can answer consultations.")
    mine = current_appointments().filter(
        person=person, organisation__in=footprint_practices(group=consultation.group)
    )
    if consultation.per_person:
        found = mine.select_related("organisation").order_by("organisation__name").first()
        if found is None:
            raise ConsultationError("Only staff of the footprint's practices can answer this consultation.")
        return person, found.organisation
    if practice is None or not mine.filter(organisation=practice, is_signatory=True).exists():
        raise ConsultationError("Only a signatory of the practice can answer for it.")
    return person, practice


def _bump(question_id: int, pcn_id: int | None, value: str, delta: int) -> None:
    # Called under the consultation's lock, so the tally row cannot be created twice.
    rows = AnswerCount.objects.filter(question_id=question_id, pcn_id=pcn_id, value=value[:100])
    if not rows.update(count=F("count") + delta):
        AnswerCount.objects.create(question_id=question_id, pcn_id=pcn_id, value=value[:100], count=delta)


def _tally(questions: list[Question], response: Response, delta: int) -> None:
    for q in questions:
        for value in answer_rules.counted(q.kind, response.answers.get(str(q.pk))):
            _bump(q.pk, response.pcn_id, value, delta)


@transaction.atomic
def response_submit(
    *, consultation: Consultation, practice: Organisation | None, answers: dict[str, Any], actor: Any
) -> Response:
    """Answer (or change the answer) for a practice, or for oneself when each person answers."""
    # One writer per consultation at a time: two signatories of a practice answering at once take
    # turns, so exactly one response stays current and both are kept in the history.
    locked = lock_row(Consultation.objects.select_related("group"), pk=consultation.pk)
    if not locked.accepts_answers():
        raise ConsultationError("This consultation is not taking answers: its deadline has passed.")
    person, practice = _respondent(locked, practice, actor)
    questions = list(locked.questions.all())
    cleaned, errors = answer_rules.clean(questions, answers)
    if errors:
        raise AnswersInvalid(errors)
    mine = Response.objects.filter(consultation=locked, is_current=True, for_practice=not locked.per_person)
    previous = (
        mine.filter(person=person).first() if locked.per_person else mine.filter(practice=practice).first()
    )
    if previous is not None:
        _tally(questions, previous, -1)
        Response.objects.filter(pk=previous.pk).update(is_current=False)
    else:
        Consultation.objects.filter(pk=locked.pk).update(responses_count=F("responses_count") + 1)
    response = Response.objects.create(
        consultation=locked,
        practice=practice,
        pcn_id=practice.pcn_id,
        person=person,
        answers=cleaned,
        for_practice=not locked.per_person,
        created_by=actor,
    )
    _tally(questions, response, +1)
    audit.record(
        action="engagement.response.changed" if previous else "engagement.response.submitted",
        actor=actor,
        group=locked.group,
        obj=response,
        data={"consultation": locked.pk, "practice": practice.pk},
    )
    return response


def _claim_reminder(consultation: Consultation, practice_id: int) -> bool:
    """Insert the reminder's row: the claim that makes each reminder go once."""
    try:
        with transaction.atomic():
            ConsultationReminder.objects.create(consultation=consultation, practice_id=practice_id)
    except IntegrityError:
        return False
    return True


def _remind(consultation: Consultation, now: datetime) -> int:
    answered = Response.objects.filter(consultation=consultation, is_current=True).values("practice_id")
    reminded = ConsultationReminder.objects.filter(consultation=consultation).values("practice_id")
    due = footprint_practices(group=consultation.group).exclude(pk__in=answered).exclude(pk__in=reminded)
    link = settings.SITE_URL + reverse("engagement:answer", args=[consultation.group.slug, consultation.pk])
    sent = 0
    for practice_id in due.values_list("pk", flat=True).order_by("pk").iterator():
        if not _claim_reminder(consultation, practice_id):
            continue
        for address, name in signatory_addresses([practice_id]):
            queue_email(
                key=f"consultation-reminder:{consultation.pk}:{practice_id}:{address}",
                to=[address],
                subject=f"Reminder: {consultation.title} closes soon",
                body=(
                    f"Dear {name},\n\n{consultation.group.name} has not yet had your practice's answer to "
                    f"“{consultation.title}”. It closes on {when(consultation.closes_at)}.\n\n"
                    f"Answer here: {link}\n"
                ),
            )
            sent += 1
    return sent


def reminders_send(*, now: datetime | None = None) -> int:
    """The clock's job: close consultations past their deadline, and remind, once, each practice
    that has not answered a consultation closing within three days. Returns emails queued."""
    from .consultations import consultation_close

    now = now or timezone.now()
    for due in Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_at__lte=now):
        try:
            consultation_close(consultation=due, actor=None, now=now)
        except ConsultationError:
            continue  # another worker closed it
    sent = 0
    closing = Consultation.objects.filter(
        status=ConsultationStatus.OPEN,
        closes_at__gt=now,
        closes_at__lte=now + REMIND_BEFORE,
        per_person=False,
    ).select_related("group")
    for consultation in closing:
        sent += _remind(consultation, now)
    if sent:
        audit.record(action="engagement.consultation.reminded", data={"emails": sent})
    return sent
