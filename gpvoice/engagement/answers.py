"""Answers to a questionnaire: which questions are asked, and cleaning what a person sent.

Pure functions over question-like objects (``pk``, ``kind``, ``choices``, ``required``,
``scale_min``, ``scale_max``, ``shown_if_id``, ``shown_values``), so they are tested without a
database. Answers are stored as ``{str(question pk): str | list[str]}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

SHORT_MAX = 300
LONG_MAX = 5_000

Answer = str | list[str]


class QuestionLike(Protocol):
    pk: Any
    kind: str
    text: str
    choices: Any
    required: bool
    scale_min: int
    scale_max: int
    shown_if_id: Any
    shown_values: Any


def _hit(answer: Answer | None, values: Sequence[str]) -> bool:
    if answer is None:
        return False
    given = answer if isinstance(answer, list) else [answer]
    return any(v in values for v in given)


def asked(questions: Sequence[QuestionLike], answers: Mapping[str, Answer]) -> list[QuestionLike]:
    """The questions shown for these answers: a conditional one only when the question it hangs on
    is itself shown and was answered with one of its values (in order, so chains work)."""
    shown: set[Any] = set()
    out = []
    for q in questions:
        if q.shown_if_id is None or (
            q.shown_if_id in shown and _hit(answers.get(str(q.shown_if_id)), q.shown_values)
        ):
            shown.add(q.pk)
            out.append(q)
    return out


def _values(q: QuestionLike) -> list[str]:
    if q.kind == "scale":
        return [str(n) for n in range(q.scale_min, q.scale_max + 1)]
    return [str(v) for v, _ in q.choices]


def _one(q: QuestionLike, raw: Any) -> tuple[Answer | None, str]:
    """(cleaned answer or None when empty, error text)."""
    items = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    items = [str(i) for i in items]
    if any("\x00" in i for i in items):
        return None, "Remove the NUL character from your answer."
    if q.kind in ("short", "long"):
        text = (items[0] if items else "").strip()
        limit = SHORT_MAX if q.kind == "short" else LONG_MAX
        if len(text) > limit:
            return None, f"Keep your answer to {limit:,} characters or fewer."
        return (text or None), ""
    allowed = _values(q)
    items = [i.strip() for i in items if i.strip()]
    if any(i not in allowed for i in items):
        return None, "Choose from the answers offered."
    if q.kind == "multiple":
        chosen = [v for v in allowed if v in items]  # in the offered order, once each
        return (chosen or None), ""
    if len(items) > 1:
        return None, "Choose one answer."
    return (items[0] if items else None), ""


def clean(
    questions: Sequence[QuestionLike], raw: Mapping[str, Any]
) -> tuple[dict[str, Answer], dict[str, str]]:
    """The cleaned answers to the questions asked, and errors by question pk (as text).
    Answers to questions not asked (a condition not met) are dropped."""
    answers: dict[str, Answer] = {}
    errors: dict[str, str] = {}
    for q in questions:  # first pass: clean every answer, so conditions can read them
        value, error = _one(q, raw.get(str(q.pk)))
        if error:
            errors[str(q.pk)] = error
        elif value is not None:
            answers[str(q.pk)] = value
    shown = asked(questions, answers)
    kept = {str(q.pk): answers[str(q.pk)] for q in shown if str(q.pk) in answers}
    for q in shown:
        if q.required and str(q.pk) not in kept and str(q.pk) not in errors:
            errors[str(q.pk)] = f"Answer: {q.text}"
    shown_keys = {str(q.pk) for q in shown}
    return kept, {k: v for k, v in errors.items() if k in shown_keys}


def counted(kind: str, answer: Answer | None) -> list[str]:
    """The values a kept tally counts for one answer: each choice, the scale point, or ``""``
    (answered) for text."""
    if answer is None or answer == "" or answer == []:
        return []
    if kind in ("short", "long"):
        return [""]
    return list(answer) if isinstance(answer, list) else [answer]
