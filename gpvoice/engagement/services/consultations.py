"""Consultations: drafting the questions, opening, closing and publishing the results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from ..announce import announce
from ..models import CHOICE_KINDS, Consultation, ConsultationStatus, Question, QuestionKind, Template
from ..templates import TEMPLATES
from .checks import ConsultationError, clean_text, require_officer


@transaction.atomic
def consultation_create(
    *,
    group: LeadershipGroup,
    title: str,
    closes_at: datetime,
    actor: Any,
    introduction: str = "",
    template: str = Template.CUSTOM,
    per_person: bool = False,
    confidential: bool = False,
) -> Consultation:
    require_officer(group, actor)
    if template not in Template.values:
        raise ConsultationError("Choose a template, or questions of your own.")
    if closes_at <= timezone.now():
        raise ConsultationError("Set a deadline in the future.")
    built = TEMPLATES.get(template)
    consultation = Consultation.objects.create(
        group=group,
        title=clean_text(title or (built["title"] if built else ""), "title", 200, required=True),
        introduction=clean_text(
            introduction or (built["introduction"] if built else ""), "introduction", 20_000
        ),
        template=template,
        per_person=per_person and not built,
        confidential=bool(built["confidential"]) if built else confidential,
        closes_at=closes_at,
        created_by=actor,
    )
    if built:
        _add_template_questions(consultation, built["questions"])
    audit.record(action="engagement.consultation.created", actor=actor, group=group, obj=consultation)
    return consultation


def _add_template_questions(consultation: Consultation, specs: list[dict[str, Any]]) -> None:
    by_key: dict[str, Question] = {}
    for position, spec in enumerate(specs, start=1):
        q = Question.objects.create(
            consultation=consultation,
            position=position,
            key=spec["key"],
            kind=spec["kind"],
            text=spec["text"],
            hint=spec.get("hint", ""),
            choices=[list(c) for c in spec.get("choices", [])],
            scale_min=spec.get("scale_min", 1),
            scale_max=spec.get("scale_max", 5),
            required=spec.get("required", True),
            shown_if=by_key.get(spec.get("shown_if", "")),
            shown_values=spec.get("shown_values", []),
        )
        by_key[q.key] = q


def _locked_draft(consultation: Consultation, actor: Any) -> Consultation:
    # The consultation's row is the lock for its questions: two officers editing at once take turns.
    locked = lock_row(Consultation.objects.all(), pk=consultation.pk)
    require_officer(locked.group, actor)
    if locked.status != ConsultationStatus.DRAFT:
        raise ConsultationError("Questions can only change while the consultation is a draft.")
    return locked


def _parse_choices(raw: str) -> list[list[str]]:
    labels = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(labels) < 2:
        raise ConsultationError("Give at least two choices, one on each line.")
    if len(labels) > 20 or any(len(label) > 100 for label in labels):
        raise ConsultationError("Give at most 20 choices of up to 100 characters each.")
    if len({label.casefold() for label in labels}) != len(labels):
        raise ConsultationError("Give each choice once.")
    return [[str(i), label] for i, label in enumerate(labels, start=1)]


@transaction.atomic
def question_add(
    *,
    consultation: Consultation,
    kind: str,
    text: str,
    actor: Any,
    hint: str = "",
    choices: str = "",
    scale_min: int = 1,
    scale_max: int = 5,
    required: bool = True,
    shown_if: Question | None = None,
    shown_values: list[str] | None = None,
) -> Question:
    locked = _locked_draft(consultation, actor)
    if kind not in QuestionKind.values:
        raise ConsultationError("Choose what kind of question it is.")
    parsed = _parse_choices(choices) if kind in CHOICE_KINDS else []
    if kind == QuestionKind.SCALE and not (-10 <= scale_min < scale_max <= 100):
        raise ConsultationError("A scale runs from a lower number to a higher one, between -10 and 100.")
    if shown_if is not None:
        if shown_if.consultation_id != locked.pk or shown_if.kind not in CHOICE_KINDS:
            raise ConsultationError(
                "A question can only depend on an earlier choice question of this consultation."
            )
        allowed = {str(v) for v, _ in shown_if.choices}
        if not shown_values or any(v not in allowed for v in shown_values):
            raise ConsultationError("Choose the answers that show the question.")
    question = Question.objects.create(
        consultation=locked,
        position=locked.questions.count() + 1,
        kind=kind,
        text=clean_text(text, "question", 500, required=True),
        hint=clean_text(hint, "hint", 500),
        choices=parsed,
        scale_min=scale_min if kind == QuestionKind.SCALE else 1,
        scale_max=scale_max if kind == QuestionKind.SCALE else 5,
        required=required,
        shown_if=shown_if,
        shown_values=list(shown_values or []) if shown_if else [],
    )
    audit.record(action="engagement.question.added", actor=actor, group=locked.group, obj=question)
    return question


@transaction.atomic
def question_remove(*, question: Question, actor: Any) -> None:
    locked = _locked_draft(question.consultation, actor)
    data = {"question": question.pk, "text": question.text}
    Question.objects.filter(consultation=locked, shown_if=question).delete()
    Question.objects.filter(pk=question.pk).delete()
    audit.record(action="engagement.question.removed", actor=actor, group=locked.group, obj=locked, data=data)


@transaction.atomic
def consultation_open(*, consultation: Consultation, actor: Any) -> Consultation:
    locked = _locked_draft(consultation, actor)
    if not locked.questions.exists():
        raise ConsultationError("Add at least one question before opening the consultation.")
    if locked.closes_at <= timezone.now():
        raise ConsultationError("The deadline has passed: set a new one before opening.")
    locked.status, locked.opened_at = ConsultationStatus.OPEN, timezone.now()
    locked.save(update_fields=["status", "opened_at"])
    announce.enqueue(locked.pk, "opened")  # queued in this transaction: a rollback tells no one
    audit.record(action="engagement.consultation.opened", actor=actor, group=locked.group, obj=locked)
    return locked


@transaction.atomic
def consultation_close(
    *, consultation: Consultation, actor: Any, now: datetime | None = None
) -> Consultation:
    """Close early (an officer) or at the deadline (the clock, ``actor=None``)."""
    locked = lock_row(Consultation.objects.all(), pk=consultation.pk)
    if actor is not None:
        require_officer(locked.group, actor)
    if locked.status != ConsultationStatus.OPEN:
        raise ConsultationError("Only an open consultation can be closed.")
    locked.status, locked.closed_at = ConsultationStatus.CLOSED, now or timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    audit.record(action="engagement.consultation.closed", actor=actor, group=locked.group, obj=locked)
    return locked


@transaction.atomic
def results_publish(*, consultation: Consultation, actor: Any) -> Consultation:
    locked = lock_row(Consultation.objects.all(), pk=consultation.pk)
    require_officer(locked.group, actor)
    if locked.status != ConsultationStatus.CLOSED:
        raise ConsultationError("Publish the results once the consultation has closed.")
    if locked.published_at is not None:
        raise ConsultationError("The results are already published.")
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at"])
    announce.enqueue(locked.pk, "published")
    audit.record(action="engagement.consultation.published", actor=actor, group=locked.group, obj=locked)
    return locked
