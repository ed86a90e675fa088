from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import OFFICER_ROLES, Role
from gpvoice.core.permissions import group_member

from . import selectors, services
from .coverage import percent
from .forms import AnswerForm, CategoryForm, DecisionForm, OpenRatificationForm, RollAddForm, TermsForm
from .models import RollStatus


def _group(request: HttpRequest) -> Any:
    return request.group  # type: ignore[attr-defined]


def _is(request: HttpRequest, *roles: Role) -> bool:
    return request.membership.role in roles  # type: ignore[attr-defined]


def _crumbs(request: HttpRequest, current: str) -> list[dict[str, str]]:
    return group_crumbs(request, (current, None))


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@group_member()
def roll(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = RollAddForm(_posted(request) if "end" not in request.POST else None)
    if request.method == "POST":
        if not _is(request, Role.ADMIN):
            raise Http404("Only a group admin changes the roll")
        if "end" in request.POST:
            entry = selectors.roll_entry(group=group, pk=request.POST["end"])
            if entry is None:
                raise Http404("No such roll entry")
            services.roll_end(entry=entry, actor=request.user)
            messages.success(request, f"{entry.person.full_name} has left the roll.")
            return redirect("governance:roll", group.slug)
        if form.is_valid():
            try:
                services.roll_add(
                    group=group,
                    person=form.cleaned_data["person"],
                    status=form.cleaned_data["status"],
                    actor=request.user,
                )
            except services.GovernanceError as refusal:
                form.add_error("status", str(refusal))
            else:
                messages.success(request, f"{form.cleaned_data['person'].full_name} was added to the roll.")
                return redirect("governance:roll", group.slug)
    rows = selectors.roll_rows(group=group)
    return render(
        request,
        "governance/roll.jinja",
        form=form,
        rows=rows,
        statuses=RollStatus,
        breadcrumbs=_crumbs(request, "Members and attendees"),
    )


@group_member()
def terms_list(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = TermsForm(_posted(request))
    if request.method == "POST":
        if not _is(request, Role.ADMIN):
            raise Http404("Only a group admin drafts terms of reference")
        if form.is_valid():
            terms = services.terms_create(group=group, actor=request.user, **form.cleaned_data)
            return redirect("governance:terms", group.slug, terms.pk)
    return render(
        request,
        "governance/terms_list.jinja",
        form=form,
        versions=list(selectors.terms_list(group=group)),
        breadcrumbs=_crumbs(request, "Terms of reference"),
    )


@group_member()
def terms_detail(request: HttpRequest, terms_id: int) -> HttpResponse:
    group = _group(request)
    terms = selectors.terms_list(group=group).filter(pk=terms_id).first()
    if terms is None:
        raise Http404("No such version")
    edit = TermsForm(
        _posted(request) if "save" in request.POST else None,
        initial={"title": terms.title, "body": terms.body},
    )
    ratify = OpenRatificationForm(_posted(request) if "open" in request.POST else None)
    if request.method == "POST":
        if not _is(request, Role.ADMIN):
            raise Http404("Only a group admin changes terms of reference")
        try:
            if "issue" in request.POST:
                services.terms_issue(terms=terms, actor=request.user)
                messages.success(request, f"Version {terms.version} was issued. It can no longer be changed.")
                return redirect("governance:terms", group.slug, terms.pk)
            if "save" in request.POST and edit.is_valid():
                services.terms_update(terms=terms, actor=request.user, **edit.cleaned_data)
                return redirect("governance:terms", group.slug, terms.pk)
            if "open" in request.POST and ratify.is_valid():
                services.mandate_open(
                    terms=terms,
                    closes_at=ratify.cleaned_data["closes_at"],
                    expires_on=ratify.cleaned_data["expires_on"],
                    actor=request.user,
                )
                messages.success(
                    request, "Ratification is open. Signatories of every practice can now answer."
                )
                return redirect("governance:mandate", group.slug)
        except services.GovernanceError as refusal:
            (ratify if "open" in request.POST else edit).add_error(None, str(refusal))
    return render(
        request,
        "governance/terms_detail.jinja",
        terms=terms,
        edit=edit,
        ratify=ratify,
        form=edit if edit.errors else ratify,
        breadcrumbs=_crumbs(request, f"{terms.title} v{terms.version}"),
    )


@group_member()
def mandate(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    status = selectors.mandate_status(group=group)
    mine = []
    if status.round is not None:
        footprint = {p.pk for p in status_footprint(group)}
        answers = selectors.current_answers(round=status.round)
        mine = [
            (p, answers.get(p.pk))
            for p in selectors.signatory_practices(user=request.user)
            if p.pk in footprint
        ]
    form = AnswerForm(_posted(request))
    if request.method == "POST" and status.round is not None and form.is_valid():
        practice = next((p for p, _ in mine if p.ods_code == form.cleaned_data["practice"]), None)
        if practice is None:
            raise Http404("You do not sign for that practice")
        try:
            services.mandate_answer(
                round=status.round, practice=practice, answer=form.cleaned_data["answer"], user=request.user
            )
        except services.GovernanceError as refusal:
            form.add_error("answer", str(refusal))
        else:
            messages.success(request, f"{practice.name}'s answer was recorded.")
            return redirect("governance:mandate", group.slug)
    return render(
        request,
        "governance/mandate.jinja",
        mandate=status,
        mine=mine,
        form=form,
        percent=percent,
        breadcrumbs=_crumbs(request, "Mandate"),
    )


def status_footprint(group: Any) -> Any:
    from gpvoice.directory.selectors import footprint_practices

    return footprint_practices(group=group).only("pk")


@group_member()
def mandate_api(request: HttpRequest) -> JsonResponse:
    """Coverage as JSON for signed-in members: counts, exact shares, threshold, with_mandate."""
    return JsonResponse(
        {"group": _group(request).slug, **selectors.mandate_status(group=_group(request)).as_json()}
    )


@group_member()
def delegation(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = CategoryForm(_posted(request))
    if request.method == "POST":
        if not _is(request, Role.ADMIN):
            raise Http404("Only a group admin changes the scheme of delegation")
        if form.is_valid():
            try:
                services.category_create(group=group, actor=request.user, **form.cleaned_data)
            except services.GovernanceError as refusal:
                form.add_error("name", str(refusal))
            else:
                return redirect("governance:delegation", group.slug)
    return render(
        request,
        "governance/delegation.jinja",
        form=form,
        categories=list(selectors.categories(group=group)),
        overdue={c.pk for c in selectors.overdue_categories(group=group)},
        breadcrumbs=_crumbs(request, "Scheme of delegation"),
    )


@group_member(roles=OFFICER_ROLES)
def decisions(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = DecisionForm(_posted(request) if "note" not in request.POST else None, group=group)
    refusal = None
    if request.method == "POST":
        if "note" in request.POST:
            decision = (
                selectors.decisions_for_noting(group=group).filter(pk=request.POST["note"]).first()
                if request.POST["note"].isascii() and request.POST["note"].isdigit()
                else None
            )
            if decision is None:
                raise Http404("No such decision awaiting noting")
            services.executive_decision_note(decision=decision, actor=request.user)
            return redirect("governance:decisions", group.slug)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("category", "title", "rationale", "amount")}
            try:
                if "refer" in request.POST:
                    services.executive_decision_refer(actor=request.user, **data)
                    messages.success(request, "The decision was referred to the group.")
                else:
                    services.executive_decision_record(actor=request.user, **data)
                    messages.success(
                        request, "The decision was recorded. It will go to the group for noting."
                    )
                return redirect("governance:decisions", group.slug)
            except services.OutsidePowers as error:
                refusal = str(error)
                form.add_error(None, f"The executive cannot take this decision: {refusal}")
    return render(
        request,
        "governance/decisions.jinja",
        form=form,
        refusal=refusal,
        decisions=list(selectors.decisions(group=group)[:100]),
        breadcrumbs=_crumbs(request, "Executive decisions"),
    )
