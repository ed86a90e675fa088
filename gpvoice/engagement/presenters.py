"""What consultation pages show: tags, dates, answer fields and result tables; no roles in templates."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from gpvoice.core.formats import when
from gpvoice.core.markdown import render

from . import spread, suppression
from .models import CHOICE_KINDS, Consultation, ConsultationStatus, Question, QuestionKind, Response

TAGS = {
    ConsultationStatus.DRAFT: ("Draft", "nhsuk-tag--grey"),
    ConsultationStatus.OPEN: ("Open", "nhsuk-tag--green"),
    ConsultationStatus.CLOSED: ("Closed", "nhsuk-tag--blue"),
}


def status_tag(c: Consultation) -> dict[str, str]:
    text, classes = TAGS[ConsultationStatus(c.status)]
    if c.status == ConsultationStatus.OPEN and c.closes_at <= timezone.now():
        text, classes = "Deadline passed", "nhsuk-tag--grey"
    if c.published_at:
        text, classes = "Results published", "nhsuk-tag--purple"
    return {"text": text, "classes": classes}


def list_row(c: Consultation) -> dict[str, Any]:
    return {
        "title": c.title,
        "href": reverse("engagement:consultation", args=[c.group.slug, c.pk]),
        "closes": when(c.closes_at),
        "responses": f"{c.responses_count:,}",
        "tag": status_tag(c),
    }


def labels(q: Question) -> dict[str, str]:
    if q.kind == QuestionKind.SCALE:
        return {str(n): str(n) for n in range(q.scale_min, q.scale_max + 1)}
    return {str(v): str(label) for v, label in q.choices}


def condition_text(q: Question, by_pk: dict[int, Question]) -> str:
    if q.shown_if_id is None or q.shown_if_id not in by_pk:
        return ""
    parent = by_pk[q.shown_if_id]
    names = labels(parent)
    chosen = " or ".join(f"“{names.get(str(v), v)}”" for v in q.shown_values)
    return f"Answer only if you answered {chosen} to “{parent.text}”."


def answer_fields(
    questions: list[Question], answers: dict[str, Any], errors: dict[str, str]
) -> list[dict[str, Any]]:
    """One macro-ready field per question, with the current answer filled in."""
    by_pk = {q.pk: q for q in questions}
    out = []
    for n, q in enumerate(questions, start=1):
        name = str(q.pk)
        value = answers.get(name)
        hint = " ".join(t for t in (q.hint, condition_text(q, by_pk), "" if q.required else "Optional.") if t)
        chosen = set(value) if isinstance(value, list) else {value}
        out.append(
            {
                "kind": "radios"
                if q.kind in (QuestionKind.SINGLE, QuestionKind.SCALE)
                else (
                    "checkboxes"
                    if q.kind == QuestionKind.MULTIPLE
                    else ("textarea" if q.kind == QuestionKind.LONG else "input")
                ),
                "id": f"q{q.pk}",
                "name": f"q{q.pk}",
                "label": f"{n}. {q.text}",
                "hint": hint,
                "error": errors.get(name, ""),
                "value": value if isinstance(value, str) else "",
                "maxlength": 300 if q.kind == QuestionKind.SHORT else 5000,
                "items": [
                    {"value": v, "text": label, "checked": v in chosen} for v, label in labels(q).items()
                ],
            }
        )
    return out


def answers_summary(questions: list[Question], response: Response | None) -> list[dict[str, Any]]:
    """A response as summary-list rows."""
    if response is None:
        return []
    rows = []
    for q in questions:
        value = response.answers.get(str(q.pk))
        if value is None:
            continue
        names = labels(q)
        text = (
            ", ".join(str(names.get(v, v)) for v in value)
            if isinstance(value, list)
            else str(names.get(value, value))
        )
        rows.append({"key": {"text": q.text}, "value": {"text": text}})
    return rows


def history_rows(history: list[Response]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": when(r.created_at)},
            {"text": r.person.full_name},
            {"text": "Current" if r.is_current else "Replaced"},
        ]
        for r in history
    ]


def overall(
    questions: list[Question],
    counts: dict[int, dict[str, int]],
    responses: int,
    min_cell: int | None = None,
) -> list[dict[str, Any]]:
    """Per question: rows of (answer, count, share) for choices and scales; how many answered for
    text. With ``min_cell`` (members of a confidential consultation), small numbers are suppressed
    (``suppression``)."""
    out = []
    for q in questions:
        got = counts.get(q.pk, {})
        if q.kind in (QuestionKind.SHORT, QuestionKind.LONG):
            answered_text = got.get("", 0)
            note = f"{answered_text:,} answered (in the export for officers)."
            if min_cell and answered_text < min_cell:
                note = suppression.too_few(min_cell)
            out.append({"text": q.text, "rows": [], "note": note})
            continue
        total: int = sum(got.values())
        answered = total if q.kind != QuestionKind.MULTIPLE else responses
        names = labels(q)
        cells = [got.get(value, 0) for value in names]
        hidden = [False] * len(cells)
        if min_cell:
            # Several choices: the cells do not add up to the number who answered, which the tally
            # does not keep; below the threshold in every cell, the question is hidden whole.
            few = max(cells, default=0) < min_cell if q.kind == QuestionKind.MULTIPLE else total < min_cell
            if few:
                out.append({"text": q.text, "rows": [], "note": suppression.too_few(min_cell)})
                continue
            hidden = suppression.hidden_cells(cells, min_cell, adds_up=q.kind != QuestionKind.MULTIPLE)
        rows = []
        for label, n, hide in zip(names.values(), cells, hidden, strict=True):
            share = f"{100 * n / answered:.0f}%" if answered else "–"
            rows.append(
                [
                    {"text": label},
                    {"text": f"fewer than {min_cell}" if hide else f"{n:,}", "format": "numeric"},
                    {"text": "–" if hide else share, "format": "numeric"},
                ]
            )
        note = ""
        if q.kind == QuestionKind.SCALE and total:
            mean = sum(int(v) * n for v, n in got.items() if v.lstrip("-").isdigit()) / total
            note = f"Average {mean:.1f} from {total:,} answers."
            if any(hidden):
                note = f"The average is not shown: some points have fewer than {min_cell} answers."
        out.append({"text": q.text, "rows": rows, "note": note})  # type: ignore[dict-item]
    return out


def pcn_rows(
    question: Question, pcns: list[Any], counts: dict[Any, dict[str, int]]
) -> tuple[list[str], list[list[dict[str, str]]]]:
    """The breakdown of one choice question by PCN; for the relationship stance, the spread and a flag."""
    names = labels(question)
    stance = question.key == "stance"
    head = ["PCN", *names.values(), *(["Divided?"] if stance else [])]
    rows = []
    for pcn in pcns:
        got = counts.get(pcn.pk, {})
        row = [{"text": pcn.name}] + [{"text": f"{got.get(v, 0):,}", "format": "numeric"} for v in names]
        if stance:
            row.append({"text": "Divided" if spread.is_divided(got) else "No"})
        rows.append(row)
    return head, rows


def breakdown_questions(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.kind in (*CHOICE_KINDS, QuestionKind.SCALE)]


def introduction(c: Consultation) -> Any:
    return render(c.introduction)


def uncertain(n: int) -> str:
    """What officers read when senders stopped mid-send: copies perhaps sent, never sent again."""
    if not n:
        return ""
    copies = "1 copy" if n == 1 else f"{n:,} copies"
    return (
        f"{copies} may or may not have arrived: the sender stopped while sending "
        f"{'it' if n == 1 else 'them'}. {'It is' if n == 1 else 'They are'} not sent again, "
        "so that nobody gets this bulletin twice."
    )
