from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.accounts.officers import has_strong_sign_in
from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import Role
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member
from gpvoice.directory.me import me

from . import mandate_tables, presenters, selectors, services
from .coverage import percent
from .forms import (
    AnswerForm,
    CategoryForm,
    DecisionForm,
    ExtendRoundForm,
    GovernanceSettingsForm,
    OpenRatificationForm,
    RollAddForm,
    TermsForm,
)
from .models import RollStatus


def _group(request: HttpRequest) -> Any:
    return request.group  # type: ignore[attr-defined]


def _can(request: HttpRequest) -> presenters.Can:
    return presenters.can(request.membership)  # type: ignore[attr-defined]


def _crumbs(request: HttpRequest, current: str) -> list[dict[str, str]]:
    return group_crumbs(request, (current, None))


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@group_member()
def roll(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = RollAddForm(_posted(request) if "end" not in request.POST else None)
    if request.method == "POST":
        if "end" in request.POST:
            entry = selectors.roll_entry(group=group, pk=request.POST["end"])
            if entry is None:
                raise Http404("No such roll entry")
            try:
                services.roll_end(entry=entry, actor=request.user)
            except services.GovernanceError as refusal:
                messages.error(request, str(refusal))
            else:
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
    page = page_of(selectors.roll_entries(group=group), request)
    rows = selectors.roll_rows(group=group, entries=page.object_list)
    return render(
        request,
        "governance/roll.jinja",
        form=form,
        rows=rows,
        caption=page_caption(page, "on the roll"),
        pages=page_links(page, request, label="Pages of the roll"),
        flagged=selectors.flagged_core_count(group=group),
        accounts=selectors.roll_accounts(group=group, rows=rows),
        statuses=RollStatus,
        can=_can(request),
        breadcrumbs=_crumbs(request, "Members and attendees"),
    )


@group_member()
def terms_list(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = TermsForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            terms = services.terms_create(group=group, actor=request.user, **form.cleaned_data)
        except services.GovernanceError as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("governance:terms", group.slug, terms.pk)
    return render(
        request,
        "governance/terms_list.jinja",
        form=form,
        versions=list(selectors.terms_list(group=group)),
        can=_can(request),
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
        can=_can(request),
        breadcrumbs=_crumbs(request, f"{terms.title} v{terms.version}"),
    )


@group_member()
def mandate(request: HttpRequest) -> HttpResponse:
    """Stored coverage, a page of PCNs and a page of unanswered practices: a fixed number of
    queries and a bounded page, whatever the footprint's size (ADR 0008)."""
    group = _group(request)
    status = selectors.mandate_status(group=group)
    mine: list[Any] = []
    pcns = waiting = None
    ids = me(request).signs_for if status.round is not None else ()  # none: nothing to answer
    form = AnswerForm(_posted(request))
    if request.method == "POST" and status.round is not None and form.is_valid():
        # Only the practice posted is looked up; the service checks it is in the footprint and
        # that the user signs for it, under the round's lock.
        practice = selectors.signed_practice(among=ids, code=form.cleaned_data["practice"])
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
    if ids and status.round is not None:  # the practices the member signs for, with their answers
        signs_for = selectors.my_practices_in(group=group, user=request.user, among=ids)
        answers = selectors.current_answers(round=status.round, practices=[p.pk for p in signs_for])
        mine = [(p, answers.get(p.pk)) for p in signs_for]
    if status.round is not None:  # the group's tables are read only for a page that shows them
        shown = mandate_tables.tables(
            group=group,
            round=status.round,
            pcn_page=request.GET.get("pcns"),
            waiting_page=request.GET.get("waiting"),
            not_answered=status.coverage.overall.practices["none"] if status.coverage else 0,
        )
        pcns, waiting = shown.pcns, shown.waiting
    return render(
        request,
        "governance/mandate.jinja",
        mandate=status,
        mine=mine,
        pcns=pcns,
        waiting=waiting,
        form=form,
        percent=percent,
        can=_can(request),
        breadcrumbs=_crumbs(request, "Mandate"),
    )


@group_member()
def delegation(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = CategoryForm(_posted(request))
    if request.method == "POST" and form.is_valid():
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
        can=_can(request),
        breadcrumbs=_crumbs(request, "Scheme of delegation"),
    )


@group_member()
def decisions(request: HttpRequest) -> HttpResponse:
    """Every member sees the executive's decisions and what was referred to the group (the feedback
    loop); officers record them here, and admins mark them noted for the group."""
    group = _group(request)
    can = _can(request)
    if request.method == "POST":
        if not (can.record_decisions or can.note_decisions):
            raise Http404("Only the group's officers record or note decisions")
        if not has_strong_sign_in(request):
            return redirect("accounts:strong_sign_in_needed")
    form = DecisionForm(_posted(request) if "note" not in request.POST else None, group=group)
    refusal: str | None = None
    if request.method == "POST":
        if "note" in request.POST:
            return _note_decision(request, group)
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
            except services.GovernanceError as error:
                form.add_error(None, str(error))
    page = page_of(selectors.decisions(group=group).order_by("-decided_at", "-pk"), request)
    return render(
        request,
        "governance/decisions.jinja",
        form=form,
        refusal=refusal,
        caption=page_caption(page, "decisions"),
        pages=page_links(page, request, label="Pages of decisions"),
        rows=[presenters.decision_row(d) for d in page.object_list],
        referred=[presenters.decision_row(d) for d in selectors.decisions_referred(group=group)[:20]],
        can=can,
        breadcrumbs=_crumbs(request, "Executive decisions"),
    )


def _note_decision(request: HttpRequest, group: Any) -> HttpResponse:
    pk = request.POST["note"]
    decision = (
        selectors.decisions_for_noting(group=group).filter(pk=pk).first()
        if pk.isascii() and pk.isdigit()
        else None
    )
    if decision is None:
        raise Http404("No such decision awaiting noting")
    try:
        services.executive_decision_note(decision=decision, actor=request.user)
    except services.GovernanceError as not_noted:
        messages.error(request, str(not_noted))
    else:
        messages.success(request, f"“{decision.title}” was marked as noted by the group.")
    return redirect("governance:decisions", group.slug)


@group_member(roles=[Role.ADMIN])
def mandate_extend(request: HttpRequest) -> HttpResponse:
    """Give practices longer to answer the open round (dates only move later; see the service)."""
    group = _group(request)
    round = selectors.current_round(group=group)
    initial = {"closes_on": round.closes_at.date(), "expires_on": round.expires_on} if round else {}
    form = ExtendRoundForm(_posted(request), initial=initial)
    if request.method == "POST" and round is not None and form.is_valid():
        try:
            services.mandate_extend(
                round=round,
                closes_at=form.cleaned_data["closes_at"],
                expires_on=form.cleaned_data["expires_on"],
                actor=request.user,
            )
        except services.GovernanceError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Ratification was extended.")
            return redirect("governance:mandate", group.slug)
    return render(
        request,
        "governance/mandate_extend.jinja",
        form=form,
        round=round,
        breadcrumbs=group_crumbs(
            request, ("Mandate", reverse("governance:mandate", args=[group.slug])), ("Extend", None)
        ),
    )


@group_member(roles=[Role.ADMIN])
def governance_settings(request: HttpRequest) -> HttpResponse:
    """The group's mandate thresholds, extra eligible roles and delegation grace period."""
    group = _group(request)
    current = selectors.settings_for(group=group)
    initial = {name: getattr(current, name) for name in GovernanceSettingsForm.base_fields}
    form = GovernanceSettingsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.governance_settings_update(
                group=group,
                actor=request.user,
                practices_share=(data["practices_share_num"], data["practices_share_den"]),
                patients_share=(data["patients_share_num"], data["patients_share_den"]),
                extra_eligible_roles=list(data["extra_eligible_roles"]),
                delegation_grace_days=data["delegation_grace_days"],
            )
        except services.GovernanceError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The governance settings were saved.")
            return redirect("governance:settings", group.slug)
    return render(
        request,
        "governance/settings.jinja",
        form=form,
        settings=current,
        percent=percent,
        breadcrumbs=_crumbs(request, "Governance settings"),
    )
