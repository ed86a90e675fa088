"""Consultation pages: the list, answering, results, and the officers' drafting and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import render
from gpvoice.core.exports import csv_response
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member

from .. import presenters, selectors, services, suppression
from ..forms import ConsultationForm, QuestionForm
from ..models import Consultation, ConsultationStatus
from ..services.responses import AnswersInvalid
from .common import crumbs, form_errors, g

PAGE = 25


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    return crumbs(request, "Consultations", "engagement:consultations", *trail)


def consultation_or_404(request: HttpRequest, consultation_id: int) -> Consultation:
    found = selectors.consultation_for(membership=g(request).membership, pk=consultation_id)
    if found is None:
        raise Http404("No such consultation")
    return found


def _trail(request: HttpRequest, c: Consultation, current: str) -> list[dict[str, str]]:
    return _crumbs(
        request, (c.title, reverse("engagement:consultation", args=[c.group.slug, c.pk])), (current, None)
    )


@group_member()
def consultation_list(request: HttpRequest) -> HttpResponse:
    page = page_of(
        selectors.consultations_for(membership=g(request).membership).select_related("group"),
        request,
        per_page=PAGE,
    )
    return render(
        request,
        "engagement/consultations.jinja",
        rows=[presenters.list_row(c) for c in page.object_list],
        caption=page_caption(page, "consultations"),
        pagination=page_links(page, request),
        can_manage=selectors.is_officer(g(request).membership),
        breadcrumbs=_crumbs(request)[:-1] + [{"text": "Consultations"}],
    )


@group_member(roles=OFFICER_ROLES)
def consultation_new(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(
        request.POST if request.method == "POST" else None, initial={"template": "custom"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            c = services.consultation_create(
                group=g(request).group,
                title=data["title"],
                closes_at=form.closes_at(),
                introduction=data["introduction"],
                template=data["template"],
                per_person=data["per_person"],
                confidential=data["confidential"],
                actor=request.user,
            )
        except services.ConsultationError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The consultation is drafted: check its questions, then open it.")
            return redirect("engagement:manage", c.group.slug, c.pk)
    return render(
        request,
        "engagement/consultation_new.jinja",
        form=form,
        breadcrumbs=_crumbs(request, ("New consultation", None)),
    )


@group_member()
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    c = consultation_or_404(request, consultation_id)
    membership = g(request).membership
    return render(
        request,
        "engagement/consultation.jinja",
        c=c,
        tag=presenters.status_tag(c),
        closes=presenters.when(c.closes_at),
        introduction=presenters.introduction(c),
        can_answer=c.accepts_answers(),
        can_see_results=selectors.results_visible(consultation=c, membership=membership),
        can_manage=selectors.is_officer(membership),
        breadcrumbs=_crumbs(request, (c.title, None)),
    )


def _raw_answers(request: HttpRequest, questions: list[Any]) -> dict[str, Any]:
    return {
        str(q.pk): request.POST.getlist(f"q{q.pk}")
        if q.kind == "multiple"
        else request.POST.get(f"q{q.pk}", "")
        for q in questions
    }


@group_member()
def consultation_answer(request: HttpRequest, consultation_id: int) -> HttpResponse:
    c = consultation_or_404(request, consultation_id)
    group, user = g(request).group, request.user
    practices = (
        selectors.my_practices(group=group, user=user)
        if c.per_person
        else selectors.my_signatory_practices(group=group, user=user)
    )
    chosen = next(
        (p for p in practices if str(p.pk) == request.GET.get("practice", request.POST.get("practice"))), None
    )
    practice = chosen or (practices[0] if practices else None)
    person = selectors.person_of(user)
    questions = selectors.questions_of(c)
    errors: dict[str, str] = {}
    error = ""
    current = selectors.current_response(consultation=c, practice=practice, person=person)
    values: dict[str, Any] = dict(current.answers) if current else {}
    if request.method == "POST":
        values = _raw_answers(request, questions)
        try:
            services.response_submit(consultation=c, practice=practice, answers=values, actor=user)
        except AnswersInvalid as refusal:
            errors, error = refusal.errors, str(refusal)
        except services.ConsultationError as refusal:
            error = str(refusal)
        else:
            messages.success(request, "Your answers were saved. You can change them until the deadline.")
            suffix = f"?practice={practice.pk}" if practice and not c.per_person else ""
            return redirect(reverse("engagement:answer", args=[group.slug, c.pk]) + suffix)
    history = list(selectors.response_history(consultation=c, practice=practice, person=person)[:20])
    return render(
        request,
        "engagement/answer.jinja",
        c=c,
        practices=[{"value": str(p.pk), "text": p.name, "selected": p == practice} for p in practices],
        practice=practice,
        may_answer=bool(practices) and c.accepts_answers(),
        fields=presenters.answer_fields(questions, values, errors),
        error=error,
        error_list=[{"text": m, "href": f"#q{k}"} for k, m in errors.items()]
        or ([{"text": error, "href": "#answers"}] if error else []),
        history=presenters.history_rows(history),
        answered_at=presenters.when(current.created_at) if current else "",
        breadcrumbs=_trail(request, c, "Answer"),
    )


@group_member()
def consultation_results(request: HttpRequest, consultation_id: int) -> HttpResponse:
    c = consultation_or_404(request, consultation_id)
    membership = g(request).membership
    visible = selectors.results_visible(consultation=c, membership=membership)
    questions = selectors.questions_of(c) if visible else []
    officer = selectors.is_officer(membership)
    context: dict[str, Any] = {}
    by_question = presenters.breakdown_questions(questions)
    if visible and by_question and (officer or not c.confidential):
        chosen = selectors.question_in(consultation=c, pk=request.GET.get("question")) or by_question[0]
        chosen = chosen if chosen in by_question else by_question[0]
        page = page_of(selectors.responding_pcns(consultation=c), request, per_page=PAGE)
        pcns = list(page.object_list)
        head, rows = presenters.pcn_rows(
            chosen, pcns, selectors.pcn_page_counts(question=chosen, pcn_ids=[p.pk for p in pcns])
        )
        context = {
            "breakdown": {
                "question": chosen.text,
                "head": head,
                "rows": rows,
                "caption": page_caption(page, "PCNs"),
            },
            "pagination": page_links(page, request),
            "questions": [{"value": str(q.pk), "text": q.text, "selected": q == chosen} for q in by_question],
        }
    return render(
        request,
        "engagement/results.jinja",
        c=c,
        visible=visible,
        officer=officer,
        overall=presenters.overall(
            questions,
            selectors.counts_overall(c),
            c.responses_count,
            min_cell=suppression.threshold() if c.confidential and not officer else None,
        )
        if visible
        else [],
        suppression_note=suppression.officer_note() if c.confidential and officer else "",
        breadcrumbs=_trail(request, c, "Results"),
        **context,
    )


def _manage_post(request: HttpRequest, c: Consultation) -> None:
    what, user = request.POST.get("do", ""), request.user
    if what == "question":
        form = QuestionForm(request.POST)
        if not form.is_valid():
            raise services.ConsultationError(form_errors(form))
        data = form.cleaned_data
        questions = selectors.questions_of(c)
        parent = (
            questions[data["shown_if"] - 1]
            if data["shown_if"] and data["shown_if"] <= len(questions)
            else None
        )
        if data["shown_if"] and parent is None:
            raise services.ConsultationError("Name an earlier question by its number.")
        services.question_add(
            consultation=c,
            kind=data["kind"],
            text=data["text"],
            hint=data["hint"],
            choices=data["choices"],
            scale_min=data["scale_min"] if data["scale_min"] is not None else 1,
            scale_max=data["scale_max"] if data["scale_max"] is not None else 5,
            required=data["required"],
            shown_if=parent,
            shown_values=[v.strip() for v in data["shown_values"].split(",") if v.strip()],
            actor=user,
        )
    elif what == "remove":
        question = selectors.question_in(consultation=c, pk=request.POST.get("question"))
        if question is None:
            raise services.ConsultationError("Choose a question of this consultation.")
        services.question_remove(question=question, actor=user)
    elif what == "open":
        services.consultation_open(consultation=c, actor=user)
    elif what == "close":
        services.consultation_close(consultation=c, actor=user)
    elif what == "publish":
        services.results_publish(consultation=c, actor=user)
    else:
        raise services.ConsultationError("Choose what to do.")


@group_member(roles=OFFICER_ROLES)
def consultation_manage(request: HttpRequest, consultation_id: int) -> HttpResponse:
    c = consultation_or_404(request, consultation_id)
    error = ""
    form = QuestionForm(initial={"required": True, "scale_min": 1, "scale_max": 5})
    if request.method == "POST":
        try:
            _manage_post(request, c)
        except services.ConsultationError as refusal:
            error = str(refusal)
            form = QuestionForm(request.POST)
            form.is_valid()
        else:
            messages.success(request, "Done.")
            return redirect("engagement:manage", c.group.slug, c.pk)
    questions = selectors.questions_of(c)
    page = page_of(selectors.not_answered(consultation=c), request, per_page=PAGE)
    return render(
        request,
        "engagement/manage.jinja",
        c=c,
        error=error,
        form=form,
        draft=c.status == ConsultationStatus.DRAFT,
        can_close=c.status == ConsultationStatus.OPEN,
        can_publish=c.status == ConsultationStatus.CLOSED and c.published_at is None,
        questions=[
            {
                "pk": q.pk,
                "number": n,
                "text": q.text,
                "kind": q.get_kind_display(),
                "choices": ", ".join(f"{v}. {label}" for v, label in q.choices),
            }
            for n, q in enumerate(questions, start=1)
        ],
        not_answered=[p.name for p in page.object_list],
        not_answered_caption=page_caption(page, "practices not yet answered"),
        pagination=page_links(page, request),
        breadcrumbs=_trail(request, c, "Manage"),
    )


@group_member(roles=OFFICER_ROLES)
def consultation_export(request: HttpRequest, consultation_id: int) -> StreamingHttpResponse:
    c = consultation_or_404(request, consultation_id)
    questions = selectors.questions_of(c)
    header = ["Practice", "ODS code", "PCN", "Answered by", "Answered at", *[q.text for q in questions]]

    labels = {q.pk: presenters.labels(q) for q in questions}

    def cell(q: Any, value: Any) -> str:
        if isinstance(value, list):
            return "; ".join(str(labels[q.pk].get(v, v)) for v in value)
        return str(labels[q.pk].get(value, value)) if value else ""

    rows = (
        [
            r.practice.name if r.practice else "",
            r.practice.ods_code if r.practice else "",
            r.pcn.name if r.pcn else "",
            r.person.full_name,
            r.created_at.isoformat(timespec="minutes"),
            *[cell(q, r.answers.get(str(q.pk))) for q in questions],
        ]
        for r in selectors.response_sheet(consultation=c).iterator(chunk_size=500)
    )
    return csv_response(f"{c.group.slug}-consultation-{c.pk}", header, rows)
